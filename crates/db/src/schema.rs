// Portable types only: the same schema serves SQLite and PostgreSQL.

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    /// A register's current and archived records, kept by triggers as it changes.
    register_totals (register) {
        register -> Text,
        current -> BigInt,
        archived -> BigInt,
    }
}

diesel::table! {
    programmes (id) {
        id -> BigInt,
        title -> Text,
        document_id -> Text,
        diarienummer -> Text,
        version -> Integer,
        document_type -> Text,
        responsible_administration -> Text,
        responsible_department -> Text,
        decided_by -> Text,
        published -> Nullable<Date>,
        revise_by -> Nullable<Date>,
        purpose -> Text,
        background -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        row_version -> Integer,
        adopted_by_decision_id -> Nullable<BigInt>,
        diarienummer_as_registered -> Text,
    }
}

diesel::table! {
    priority_areas (id) {
        id -> BigInt,
        programme_id -> BigInt,
        number -> Integer,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    programme_work_kinds (programme_id, kind) {
        programme_id -> BigInt,
        kind -> Text,
        description -> Text,
    }
}

diesel::table! {
    frameworks (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        owner -> Text,
        description -> Nullable<Text>,
        adopted_year -> Nullable<Integer>,
        overall_goal -> Nullable<Text>,
        created_at -> Timestamp,
        /// A scorecard's id in the styrkort system; none for a framework entered by hand.
        external_id -> Nullable<Text>,
        organisation_id -> Nullable<BigInt>,
        version -> Integer,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    framework_goals (id) {
        id -> BigInt,
        framework_id -> BigInt,
        number -> Integer,
        title -> Text,
        description -> Nullable<Text>,
        /// A scorecard goal's id in the styrkort system.
        external_id -> Nullable<Text>,
        organisation_id -> Nullable<BigInt>,
        /// The KPI the goal is followed up by.
        kpi -> Nullable<Text>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A scorecard goal's targets of its KPI, by year.
    goal_targets (goal_id, year) {
        goal_id -> BigInt,
        year -> Integer,
        value -> Double,
    }
}

diesel::table! {
    programme_frameworks (programme_id, framework_id) {
        programme_id -> BigInt,
        framework_id -> BigInt,
        relation -> Text,
    }
}

diesel::joinable!(priority_areas -> programmes (programme_id));
diesel::joinable!(programme_work_kinds -> programmes (programme_id));
diesel::joinable!(framework_goals -> frameworks (framework_id));
diesel::joinable!(goal_targets -> framework_goals (goal_id));
diesel::joinable!(programme_frameworks -> programmes (programme_id));
diesel::joinable!(programme_frameworks -> frameworks (framework_id));

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    programmes,
    priority_areas,
    programme_work_kinds,
    frameworks,
    framework_goals,
    goal_targets,
    programme_frameworks,
);

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        parent_id -> Nullable<BigInt>,
        external_id -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        role -> Text,
        organisation_id -> Nullable<BigInt>,
        active -> Bool,
        password_hash -> Text,
        must_change_password -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        oidc_issuer -> Nullable<Text>,
        oidc_subject -> Nullable<Text>,
        role_source -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        method -> Text,
        oidc_sid -> Nullable<Text>,
        id_token -> Nullable<Text>,
    }
}

diesel::table! {
    oidc_logins (state) {
        state -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        name -> Text,
        prefix -> Text,
        token_hash -> Text,
        scopes -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_start -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        changes -> Text,
        /// The record's version after the change, for records that have versions.
        entity_version -> Nullable<Integer>,
    }
}

diesel::table! {
    security_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        kind -> Text,
        client_ip -> Nullable<Text>,
        account -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        request_id -> Nullable<Text>,
        detail -> Text,
        suppressed -> Integer,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_tokens -> users (created_by));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    sessions,
    refresh_tokens,
    api_tokens,
    login_throttle,
    audit_events,
);

diesel::table! {
    decisions (id) {
        id -> BigInt,
        body -> Text,
        decided_on -> Date,
        paragraph -> Text,
        diarienummer -> Text,
        subject -> Text,
        link -> Nullable<Text>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,        diarienummer_as_registered -> Text,
    }
}

diesel::table! {
    twin_towns (id) {
        id -> BigInt,
        town -> Text,
        country -> Text,
        region -> Nullable<Text>,
        since -> Nullable<Date>,
        status -> Text,
        status_decision_id -> Nullable<BigInt>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        title -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        network_role -> Nullable<Text>,
        term_from -> Nullable<Date>,
        term_to -> Nullable<Date>,
        erased_at -> Nullable<Timestamp>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collaborations (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        owner_organisation_id -> BigInt,
        purpose -> Text,
        period_from -> Nullable<Date>,
        period_to -> Nullable<Date>,
        representative_contact_id -> Nullable<BigInt>,
        status -> Text,
        status_decision_id -> Nullable<BigInt>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collaboration_partners (id) {
        id -> BigInt,
        collaboration_id -> BigInt,
        position -> Integer,
        name -> Text,
        country -> Text,
        kind -> Text,
    }
}

diesel::table! {
    funding_programmes (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        title -> Text,
        summary -> Text,
        kind -> Text,
        owner_organisation_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        period_from -> Nullable<Date>,
        period_to -> Nullable<Date>,
        programme_id -> Nullable<BigInt>,
        contribution -> Nullable<Text>,
        lasting_value -> Nullable<Text>,
        own_money -> BigInt,
        own_hours -> BigInt,
        results -> Nullable<Text>,
        value_given -> Nullable<Text>,
        outputs -> Nullable<Text>,
        status -> Text,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// When it left planning (to apply or to start): the co-funding gate, measured.
        left_planning_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_partners (id) {
        id -> BigInt,
        project_id -> BigInt,
        position -> Integer,
        name -> Text,
        country -> Text,
        kind -> Text,
        role -> Text,
    }
}

diesel::table! {
    project_priority_areas (project_id, priority_area_id) {
        project_id -> BigInt,
        priority_area_id -> BigInt,
    }
}

diesel::table! {
    project_goals (project_id, goal_id) {
        project_id -> BigInt,
        goal_id -> BigInt,
    }
}

diesel::table! {
    project_funding (id) {
        id -> BigInt,
        project_id -> BigInt,
        position -> Integer,
        funding_programme_id -> BigInt,
        funding_call -> Nullable<Text>,
        amount -> BigInt,
        currency -> Text,
        rate -> Nullable<BigInt>,
        status -> Text,
    }
}

diesel::table! {
    co_funding_assessments (id) {
        id -> BigInt,
        project_id -> BigInt,
        assessed_on -> Date,
        assessed_by -> Text,
        outcome -> Text,
        motivation -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    assessment_programmes (assessment_id, funding_programme_id) {
        assessment_id -> BigInt,
        funding_programme_id -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    projects,
    project_partners,
    project_priority_areas,
    project_goals,
    project_funding,
    co_funding_assessments,
    assessment_programmes,
    funding_programmes,
    priority_areas,
    organisations,
);

diesel::table! {
    elected_officials (id) {
        id -> BigInt,
        name -> Text,
        office -> Text,
        body -> Text,
        term_from -> Nullable<Date>,
        term_to -> Nullable<Date>,
        international_decision_id -> Nullable<BigInt>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        title -> Text,
        kind -> Text,
        organisation_id -> BigInt,
        project_id -> Nullable<BigInt>,
        starts_on -> Date,
        ends_on -> Date,
        organiser -> Text,
        women -> Integer,
        men -> Integer,
        total -> Integer,
        hours -> BigInt,
        own_cost -> BigInt,
        external_cost -> BigInt,
        other_resources -> Nullable<Text>,
        outcome -> Nullable<Text>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        country_list -> Text,
    }
}

diesel::table! {
    activity_countries (activity_id, country) {
        activity_id -> BigInt,
        position -> Integer,
        country -> Text,
    }
}

diesel::table! {
    activity_representatives (activity_id, official_id) {
        activity_id -> BigInt,
        official_id -> BigInt,
    }
}

diesel::table! {
    leads (id) {
        id -> BigInt,
        title -> Text,
        kind -> Text,
        description -> Text,
        source_link -> Nullable<Text>,
        deadline -> Nullable<Date>,
        funding_programme_id -> Nullable<BigInt>,
        organisation_id -> BigInt,
        project_id -> Nullable<BigInt>,
        archived_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    lead_organisations (lead_id, organisation_id) {
        lead_id -> BigInt,
        organisation_id -> BigInt,
    }
}

diesel::table! {
    reporting_years (id) {
        id -> BigInt,
        year -> Integer,
        deadline -> Date,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        reporting_year_id -> BigInt,
        organisation_id -> BigInt,
        status -> Text,
        narrative -> Text,
        other_resources -> Text,
        comment -> Nullable<Text>,
        first_submitted_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_corrections (report_id, figure) {
        report_id -> BigInt,
        figure -> Text,
        computed -> BigInt,
        corrected -> BigInt,
        reason -> Text,
    }
}

diesel::table! {
    report_goal_contributions (report_id, goal_id) {
        report_id -> BigInt,
        goal_id -> BigInt,
        contribution -> Text,
    }
}

diesel::table! {
    /// Each handing-in of a report, frozen (triggers refuse UPDATE and DELETE).
    report_versions (id) {
        id -> BigInt,
        report_id -> BigInt,
        number -> Integer,
        submitted_at -> Timestamp,
        submitted_by -> Nullable<BigInt>,
        content -> Text,
    }
}

diesel::table! {
    /// One compilation per reporting year, for the council.
    compilations (id) {
        id -> BigInt,
        reporting_year_id -> BigInt,
        status -> Text,
        decision_id -> Nullable<BigInt>,
        comment -> Nullable<Text>,
        presented_version -> Nullable<Integer>,
        published_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Each finalising of a compilation, frozen (triggers refuse UPDATE and DELETE).
    compilation_versions (id) {
        id -> BigInt,
        compilation_id -> BigInt,
        number -> Integer,
        frozen_at -> Timestamp,
        frozen_by -> Nullable<BigInt>,
        content -> Text,
    }
}

diesel::joinable!(reports -> reporting_years (reporting_year_id));
diesel::joinable!(compilations -> reporting_years (reporting_year_id));
diesel::joinable!(activity_countries -> activities (activity_id));
diesel::joinable!(reports -> organisations (organisation_id));

diesel::allow_tables_to_appear_in_same_query!(
    reporting_years,
    reports,
    organisations,
    report_corrections,
    report_goal_contributions,
    report_versions,
    compilations,
    compilation_versions
);

diesel::allow_tables_to_appear_in_same_query!(
    elected_officials,
    activities,
    activity_countries,
    activity_representatives,
    leads,
    lead_organisations,
);

diesel::table! {
    attachments (id) {
        id -> BigInt,
        report_id -> Nullable<BigInt>,
        project_id -> Nullable<BigInt>,
        activity_id -> Nullable<BigInt>,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        handed_in_version -> Nullable<Integer>,
        uploaded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reminders (id) {
        id -> BigInt,
        report_id -> BigInt,
        kind -> Text,
        status -> Text,
        recipients -> Text,
        error -> Nullable<Text>,
        attempted_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(reminders -> reports (report_id));
diesel::allow_tables_to_appear_in_same_query!(reminders, reports);
