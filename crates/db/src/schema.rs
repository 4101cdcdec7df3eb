// Portable types only: the same schema serves SQLite and PostgreSQL.

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
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
    }
}

diesel::table! {
    framework_goals (id) {
        id -> BigInt,
        framework_id -> BigInt,
        number -> Integer,
        title -> Text,
        description -> Nullable<Text>,
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
diesel::joinable!(programme_frameworks -> programmes (programme_id));
diesel::joinable!(programme_frameworks -> frameworks (framework_id));

diesel::allow_tables_to_appear_in_same_query!(
    app_meta,
    programmes,
    priority_areas,
    programme_work_kinds,
    frameworks,
    framework_goals,
    programme_frameworks,
);
