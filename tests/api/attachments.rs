//! Attached files over HTTP: a reporter attaches a file to their organisation's report and
//! gets it back byte for byte with its type, as an attachment; an HTML file is never shown
//! inside the application; a file over the limit gets 413 (announced or streamed); another
//! organisation's reporter may not attach; a file handed in with the report stays.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(a_file_is_attached_downloaded_byte_for_byte_and_handed_in_with_the_report);

async fn a_file_is_attached_downloaded_byte_for_byte_and_handed_in_with_the_report(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let reporter = app.login(&app.create_user("reporter", Some(own))).await;
    let stranger = app.login(&app.create_user("reporter", Some(other))).await;
    let report = app.create_report(own, false);
    let list = format!("/api/v1/reports/{report}/attachments");
    let upload = |token: &str, name: &str, media: &str, body: Vec<u8>| {
        app.req(Method::POST, &list, Some(token))
            .query(&[("file_name", name)])
            .header("Content-Type", media)
            .body(body)
            .send()
    };
    // Every byte value, so nothing in between may read it as text.
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..=255u8).cycle().take(70_000)).collect();

    assert_problem(
        upload(&stranger, "Protokoll.pdf", "application/pdf", pdf.clone()).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = upload(&reporter, "Protokoll från Tartu.pdf", "application/pdf", pdf.clone()).await.unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let kept: serde_json::Value = res.json().await.unwrap();
    assert_eq!(kept["file_name"], "Protokoll från Tartu.pdf");
    assert_eq!(
        (kept["size_bytes"].as_u64(), kept["href"].as_str()),
        (Some(pdf.len() as u64), Some(location.as_str()))
    );
    let got = app.req(Method::GET, &location, Some(&reporter)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    let disposition = got.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Protokoll%20fr%C3%A5n%20Tartu.pdf"),
        "{disposition}"
    );
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf, "byte for byte");
    let listed: serde_json::Value = app.get_json_as(&list, &reporter).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["sha256"].as_str().map(str::len), Some(64));

    // An HTML or SVG file is saved, never shown as the application.
    for (name, media, body) in [
        ("sida.html", "text/html", &b"<script>alert(document.cookie)</script>"[..]),
        (
            "bild.svg",
            "image/svg+xml",
            &b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"[..],
        ),
    ] {
        let res = upload(&reporter, name, media, body.to_vec()).await.unwrap();
        assert_eq!(res.status(), 201);
        let href = res.json::<serde_json::Value>().await.unwrap()["href"].as_str().unwrap().to_owned();
        let got = app.req(Method::GET, &href, Some(&reporter)).send().await.unwrap();
        let h = got.headers();
        assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment;"), "{name}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{name}");
        assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"), "{name}");
    }

    // Over the limit (10 MiB unless configured): announced, or streamed without a length.
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    assert_problem(
        upload(&reporter, "stor.bin", "application/octet-stream", big.clone()).await.unwrap(),
        413,
        "payload-too-large",
    )
    .await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big.chunks(1 << 20).map(|c| Ok(c.to_vec())).collect();
    let streamed = app
        .req(Method::POST, &list, Some(&reporter))
        .query(&[("file_name", "stor.bin")])
        .header("Content-Type", "application/octet-stream")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_problem(streamed, 413, "payload-too-large").await;
    assert_problem(
        upload(&reporter, "tom.pdf", "application/pdf", Vec::new()).await.unwrap(),
        422,
        "validation-failed",
    )
    .await;

    // Handed in with the report: part of the public document; it stays.
    let version =
        app.get_json_as(&format!("/api/v1/reports/{report}"), &reporter).await["version"].as_i64().unwrap();
    let res = app
        .req(Method::POST, &format!("/api/v1/reports/{report}/status"), Some(&reporter))
        .header("If-Match", format!("\"{version}\""))
        .json(&serde_json::json!({"status": "submitted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let id = kept["id"].as_i64().unwrap();
    let gone =
        app.req(Method::DELETE, &format!("/api/v1/attachments/{id}"), Some(&reporter)).send().await.unwrap();
    let problem = assert_problem(gone, 409, "state-conflict").await;
    assert_eq!(problem["errors"][0]["code"], "handed_in", "{problem}");
    let listed: serde_json::Value = app.get_json_as(&list, &reporter).await;
    assert!(listed.as_array().unwrap().iter().all(|a| a["handed_in_version"] == 1), "{listed}");
    assert_problem(
        upload(&reporter, "Sent.pdf", "application/pdf", pdf).await.unwrap(),
        409,
        "state-conflict",
    )
    .await;
}
