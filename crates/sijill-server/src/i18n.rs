//! The one catalogue of user-facing strings, in Arabic and English.
//!
//! Templates never carry text of their own: every word a person reads comes from
//! [`Strings`], chosen by [`Lang`]. The `catalogue!` macro takes each key with both
//! translations side by side, so a key cannot exist in one language only; the tests
//! check that no translation is empty or left untranslated.
//!
//! The language of a request is, in order: the `lang` query parameter, the `lang`
//! cookie (set by `/lang/{code}`), the `Accept-Language` header, then English.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sijill_model::account::{OrgKind, Role};
use std::convert::Infallible;

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "sijill_lang";

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Arabic, written right to left.
    Ar,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 2] = [Lang::Ar, Lang::En];

    /// The BCP 47 code, for `lang=` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// The writing direction, for `dir=`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }

    /// Parses a language code ("ar", "ar-SY", "en-GB" …); `None` for others.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language (the one the switcher offers).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            Lang::En => Lang::Ar,
        }
    }

    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Ar => &AR,
            Lang::En => &EN,
        }
    }

    /// The language of a request: query parameter, cookie, `Accept-Language`, English.
    pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(lang) = query.and_then(query_lang) {
            return lang;
        }
        if let Some(lang) = crate::session::cookie_value(headers, LANG_COOKIE)
            .as_deref()
            .and_then(Lang::from_code)
        {
            return lang;
        }
        if let Some(accept) = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        {
            // The first listed language we speak wins; q-values are in practice ordered.
            for part in accept.split(',') {
                let tag = part.split(';').next().unwrap_or("");
                if let Some(lang) = Lang::from_code(tag) {
                    return lang;
                }
            }
        }
        Lang::En
    }
}

fn query_lang(query: &str) -> Option<Lang> {
    form_urlencoded_pairs(query)
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::from_code(&v))
}

fn form_urlencoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::negotiate(parts.uri.query(), &parts.headers))
    }
}

macro_rules! catalogue {
    ($($key:ident { en: $en:literal, ar: $ar:literal $(,)? })*) => {
        /// Every user-facing string of the interface, in one language.
        #[derive(Debug)]
        pub struct Strings {
            $(
                #[doc = $en]
                pub $key: &'static str,
            )*
        }

        /// The English strings.
        pub static EN: Strings = Strings { $($key: $en,)* };
        /// The Arabic strings.
        pub static AR: Strings = Strings { $($key: $ar,)* };

        impl Strings {
            /// Every (key, text) pair, in catalogue order.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key)),*]
            }
        }
    };
}

catalogue! {
    app_name { en: "sijill", ar: "سِجِلّ" }
    tagline { en: "Relief, documentation and reconciliation for civil-society networks", ar: "الإغاثة والتوثيق والمطابقة لشبكات المجتمع المدني" }
    other_lang_name { en: "العربية", ar: "English" }
    lang_switch_label { en: "Language", ar: "اللغة" }
    skip_to_content { en: "Skip to content", ar: "انتقل إلى المحتوى" }
    main_nav_label { en: "Main navigation", ar: "التنقل الرئيسي" }
    signed_in_as { en: "Signed in as", ar: "مسجَّل الدخول باسم" }

    nav_dashboard { en: "Dashboard", ar: "لوحة المتابعة" }
    nav_respond { en: "Respond", ar: "الاستجابة" }
    nav_document { en: "Document", ar: "التوثيق" }
    nav_reconcile { en: "Reconcile", ar: "المطابقة" }
    nav_admin { en: "Admin", ar: "الإدارة" }

    login_title { en: "Sign in", ar: "تسجيل الدخول" }
    username { en: "Username", ar: "اسم المستخدم" }
    password { en: "Password", ar: "كلمة المرور" }
    sign_in { en: "Sign in", ar: "دخول" }
    sign_out { en: "Sign out", ar: "تسجيل الخروج" }
    login_failed { en: "Wrong username or password.", ar: "اسم المستخدم أو كلمة المرور غير صحيحة." }
    login_rate_limited { en: "Too many failed attempts. Wait a few minutes and try again.", ar: "محاولات فاشلة كثيرة. انتظر بضع دقائق ثم أعد المحاولة." }
    login_no_account { en: "Accounts are created by your network's administrator.", ar: "ينشئ الحساباتِ مديرُ النظام في شبكتك." }

    password_title { en: "Change your password", ar: "غيّر كلمة المرور" }
    password_must_change { en: "You signed in with a one-time password. Choose your own password to continue.", ar: "دخلت بكلمة مرور لمرة واحدة. اختر كلمة مرور خاصة بك للمتابعة." }
    current_password { en: "Current password", ar: "كلمة المرور الحالية" }
    new_password { en: "New password (at least 12 characters)", ar: "كلمة المرور الجديدة (12 محرفًا على الأقل)" }
    confirm_password { en: "Repeat the new password", ar: "أعد كتابة كلمة المرور الجديدة" }
    password_submit { en: "Change password", ar: "غيّر كلمة المرور" }
    password_too_short { en: "The new password must have at least 12 characters.", ar: "يجب أن تتكون كلمة المرور الجديدة من 12 محرفًا على الأقل." }
    password_mismatch { en: "The two new passwords differ.", ar: "كلمتا المرور الجديدتان غير متطابقتين." }
    password_same { en: "The new password must differ from the current one.", ar: "يجب أن تختلف كلمة المرور الجديدة عن الحالية." }
    password_wrong_current { en: "The current password is wrong.", ar: "كلمة المرور الحالية غير صحيحة." }
    password_changed { en: "Your password was changed.", ar: "تم تغيير كلمة المرور." }
    account_link { en: "Password", ar: "كلمة المرور" }

    dashboard_title { en: "Dashboard", ar: "لوحة المتابعة" }
    welcome { en: "Welcome", ar: "أهلًا بك" }
    your_role { en: "Your role", ar: "دورك" }
    your_org { en: "Your organization", ar: "منظمتك" }
    stat_orgs { en: "Organizations", ar: "المنظمات" }
    stat_network_members { en: "Network members", ar: "أعضاء الشبكة" }
    stat_users { en: "Accounts", ar: "الحسابات" }
    sections_title { en: "Your work", ar: "عملك" }
    open_section { en: "Open", ar: "افتح" }

    respond_intro { en: "Relief by the network: campaigns, distributions, households reached, volunteers and dialogue sessions, by area and day.", ar: "إغاثة الشبكة: الحملات والتوزيعات والأسر المستفيدة والمتطوعون وجلسات الحوار، حسب المنطقة واليوم." }
    document_intro { en: "Documentation: sources and reports, figure claims, incidents, victim lists, evidence with its custody, rescue missions and displacement.", ar: "التوثيق: المصادر والتقارير، والأرقام المنشورة، والحوادث، وقوائم الضحايا، والأدلة وسلسلة حفظها، ومهام الإنقاذ، والنزوح." }
    reconcile_intro { en: "Reconciliation: link victim lists into persons, review uncertain pairs, and estimate the undocumented with an interval.", ar: "المطابقة: ربط قوائم الضحايا بالأشخاص، ومراجعة الأزواج غير المؤكدة، وتقدير غير الموثَّقين مع مجال ثقة." }
    admin_intro { en: "Organizations of the network, accounts, roles and API tokens.", ar: "منظمات الشبكة والحسابات والأدوار ورموز الواجهة البرمجية." }
    section_empty { en: "No records here yet.", ar: "لا توجد سجلات هنا بعد." }

    role_admin { en: "Administrator", ar: "مدير النظام" }
    role_coordinator { en: "Coordinator", ar: "منسّق" }
    role_documenter { en: "Documenter", ar: "موثِّق" }
    role_field { en: "Field volunteer", ar: "متطوع ميداني" }
    role_analyst { en: "Analyst", ar: "محلّل" }
    role_viewer { en: "Viewer", ar: "مُطّلِع" }

    kind_relief { en: "Relief", ar: "إغاثة" }
    kind_civil_defence { en: "Civil defence", ar: "دفاع مدني" }
    kind_monitor { en: "Monitoring group", ar: "مجموعة رصد" }
    kind_media { en: "Media", ar: "إعلام" }
    kind_un { en: "United Nations", ar: "الأمم المتحدة" }
    kind_government { en: "Government", ar: "جهة حكومية" }
    kind_other { en: "Other", ar: "أخرى" }

    orgs_title { en: "Organizations", ar: "المنظمات" }
    users_title { en: "Accounts", ar: "الحسابات" }
    org_name { en: "Name (Latin script)", ar: "الاسم (بالحروف اللاتينية)" }
    org_name_ar { en: "Name in Arabic", ar: "الاسم بالعربية" }
    org_kind { en: "Kind", ar: "النوع" }
    network_member { en: "Network member", ar: "عضو في الشبكة" }
    org_create { en: "Add organization", ar: "أضف منظمة" }
    org_created { en: "Organization added.", ar: "أُضيفت المنظمة." }
    display_name { en: "Full name", ar: "الاسم الكامل" }
    organization { en: "Organization", ar: "المنظمة" }
    role { en: "Role", ar: "الدور" }
    status { en: "Status", ar: "الحالة" }
    status_active { en: "Active", ar: "فعّال" }
    status_disabled { en: "Disabled", ar: "معطَّل" }
    status_must_change { en: "Must change password", ar: "يجب تغيير كلمة المرور" }
    user_create { en: "Add account", ar: "أضف حسابًا" }
    user_created { en: "Account added. Give this one-time password to its owner; it is shown only now and must be changed at the first sign-in:", ar: "أُضيف الحساب. سلّم كلمة المرور هذه لمرة واحدة إلى صاحبه؛ لن تظهر إلا الآن ويجب تغييرها عند أول دخول:" }
    user_disable { en: "Disable", ar: "عطّل" }
    user_enable { en: "Enable", ar: "فعّل" }
    user_details { en: "Details", ar: "التفاصيل" }
    user_disabled_note { en: "Account disabled; its sessions were ended.", ar: "عُطّل الحساب وأُنهيت جلساته." }
    user_enabled_note { en: "Account enabled.", ar: "فُعّل الحساب." }
    cannot_disable_self { en: "You cannot disable your own account.", ar: "لا يمكنك تعطيل حسابك." }
    tokens_title { en: "API tokens", ar: "رموز الواجهة البرمجية" }
    tokens_help { en: "Scripts send the token with every request to the API, in this header. Only its hash is kept.", ar: "ترسل البرامج النصية الرمز مع كل طلب إلى الواجهة البرمجية، في هذه الترويسة. لا تُحفظ إلا بصمته." }
    token_name { en: "Token name", ar: "اسم الرمز" }
    token_create { en: "Create token", ar: "أنشئ رمزًا" }
    token_created { en: "Copy this token now; it will not be shown again:", ar: "انسخ هذا الرمز الآن؛ لن يظهر مرة أخرى:" }
    token_revoke { en: "Revoke", ar: "ألغِ" }
    token_revoked { en: "Token revoked.", ar: "أُلغي الرمز." }
    token_last_used { en: "Last used", ar: "آخر استخدام" }
    tokens_none { en: "No tokens.", ar: "لا توجد رموز." }
    never { en: "never", ar: "أبدًا" }
    created_at { en: "Created", ar: "أُنشئ في" }
    yes { en: "yes", ar: "نعم" }
    no { en: "no", ar: "لا" }
    none_value { en: "—", ar: "—" }
    back_to_users { en: "All accounts", ar: "كل الحسابات" }

    error_title { en: "Something is wrong", ar: "حدث خطأ" }
    error_bad_request { en: "The request could not be understood. Check the form and try again.", ar: "تعذّر فهم الطلب. راجع النموذج وأعد المحاولة." }
    error_forbidden { en: "Your role does not give access to this page.", ar: "دورك لا يتيح الوصول إلى هذه الصفحة." }
    error_not_found { en: "This page does not exist.", ar: "هذه الصفحة غير موجودة." }
    error_csrf { en: "The form has expired. Reload the page and submit it again.", ar: "انتهت صلاحية النموذج. أعد تحميل الصفحة وأرسله مجددًا." }
    error_conflict { en: "That name is already taken.", ar: "هذا الاسم مستخدم من قبل." }
    error_invalid { en: "Some values are not valid:", ar: "بعض القيم غير صالحة:" }
    error_internal { en: "The server failed to handle this request. The error was logged.", ar: "أخفق الخادم في معالجة هذا الطلب. سُجّل الخطأ." }
    error_home { en: "Go to the start page", ar: "اذهب إلى الصفحة الأولى" }

    // == reconcile: victim lists, linkage, estimates, claims, the count (keys below) ==
    rc_upload { en: "Upload a list (CSV or XLSX)", ar: "ارفع قائمة (CSV أو XLSX)" }
    rc_upload_help { en: "Choose the file as you received it (the first sheet of a workbook, header row first; up to 2 MB). You see every row error before anything is written. The column mapping is kept for the source and used again on its next file.", ar: "اختر الملف كما وصلك (الورقة الأولى من المصنف، وسطر العناوين أولاً؛ حتى 2 ميغابايت). ترى كل خطأ في الصفوف قبل أن يُكتب أي شيء. يُحفظ ربط الأعمدة للمصدر ويُستعمل مجدداً مع ملفه التالي." }
    rc_upload_file { en: "File (CSV or XLSX)", ar: "الملف (CSV أو XLSX)" }
    rc_upload_again { en: "The uploaded file is no longer held (it is kept for 30 minutes before you confirm). Upload it again.", ar: "لم يعد الملف المرفوع محفوظاً (يُحفظ 30 دقيقة قبل التأكيد). ارفعه مرة أخرى." }
    rc_saved_mapping_used { en: "The column mapping saved for this source was used; type a mapping below to change it.", ar: "استُعمل ربط الأعمدة المحفوظ لهذا المصدر؛ اكتب ربطاً أدناه لتغييره." }
    rc_area { en: "Area (name or p-code)", ar: "المنطقة (الاسم أو الرمز)" }
    rc_period_from { en: "From (day)", ar: "من (يوم)" }
    rc_period_to { en: "To (day)", ar: "إلى (يوم)" }
    rc_area_unknown { en: "No area has this name or code; the count is shown for every area.", ar: "لا توجد منطقة بهذا الاسم أو الرمز؛ يُعرض العدد لكل المناطق." }
    rc_day_invalid { en: "A day is written YYYY-MM-DD; that limit of the period was left out.", ar: "يُكتب اليوم بالشكل YYYY-MM-DD؛ أُهمل هذا الحد من الفترة." }
    rc_estimate_scope_note { en: "The estimate covers the whole of its lists, not this narrower area or period, so it is not shown; stratify it by governorate to see one governorate, or by month of death to see one whole month.", ar: "التقدير يشمل قوائمه كلها لا هذه المنطقة أو الفترة الأضيق، فلا يُعرض؛ قسِّمه حسب المحافظة لرؤية تقدير محافظة واحدة، أو حسب شهر الوفاة لرؤية شهر كامل." }
    rc_scope_shown { en: "Scope shown", ar: "النطاق المعروض" }
    rc_everywhere { en: "every area", ar: "كل المناطق" }
    rc_any_time { en: "any date", ar: "أي تاريخ" }
    rc_title { en: "Reconcile", ar: "المطابقة" }
    rc_lists { en: "Victim lists", ar: "قوائم الضحايا" }
    rc_no_lists { en: "No list imported yet. Import one below.", ar: "لم تُستورد أي قائمة بعد. استورد قائمة أدناه." }
    rc_source { en: "Source", ar: "المصدر" }
    rc_file { en: "File", ar: "الملف" }
    rc_records { en: "Records", ar: "السجلات" }
    rc_dropped { en: "Dropped columns", ar: "أعمدة محذوفة" }
    rc_imported_at { en: "Imported", ar: "تاريخ الاستيراد" }
    rc_import { en: "Import a list", ar: "استيراد قائمة" }
    rc_import_help { en: "Paste the list as CSV with a header row (or use sijill import victims for CSV and XLSX files). Nothing is written before you confirm the preview.", ar: "الصق القائمة بصيغة CSV مع سطر العناوين (أو استخدم الأمر sijill import victims لملفات CSV وXLSX). لا يُكتب شيء قبل أن تؤكد المعاينة." }
    rc_file_name { en: "File name", ar: "اسم الملف" }
    rc_csv_text { en: "List (CSV)", ar: "القائمة (CSV)" }
    rc_mapping { en: "Column mapping (optional, one column=field per line)", ar: "ربط الأعمدة (اختياري، عمود=حقل في كل سطر)" }
    rc_preview { en: "Preview", ar: "معاينة" }
    rc_preview_title { en: "Import preview", ar: "معاينة الاستيراد" }
    rc_rows_ok { en: "Rows ready to import", ar: "صفوف جاهزة للاستيراد" }
    rc_row_errors { en: "Rows with errors (fix them in the file; nothing is written while any remain)", ar: "صفوف فيها أخطاء (صحّحها في الملف؛ لا يُكتب شيء ما دامت موجودة)" }
    rc_line { en: "Line", ar: "السطر" }
    rc_column { en: "Column", ar: "العمود" }
    rc_reason { en: "Problem", ar: "المشكلة" }
    rc_field { en: "Field", ar: "الحقل" }
    rc_unmapped { en: "Columns not used", ar: "أعمدة غير مستخدمة" }
    rc_dropped_note { en: "These columns were dropped: sijill never stores religion, sect, ethnicity or political opinion.", ar: "حُذفت هذه الأعمدة: لا يخزّن سِجِلّ الدين أو الطائفة أو العرق أو الرأي السياسي أبداً." }
    rc_confirm_import { en: "Import these rows", ar: "استورد هذه الصفوف" }
    rc_imported { en: "The list was imported.", ar: "استُوردت القائمة." }
    rc_already { en: "This file was imported before; nothing was added.", ar: "استُورد هذا الملف من قبل؛ لم يُضف شيء." }
    rc_runs { en: "Linkage runs", ar: "عمليات الربط" }
    rc_run_link { en: "Link the lists", ar: "اربط القوائم" }
    rc_run_help { en: "Links the ticked lists of your organization into persons. Your review decisions are used.", ar: "يربط القوائم المحددة من قوائم منظمتك في أشخاص، مع استخدام قرارات المراجعة." }
    rc_pick_lists { en: "Lists to link", ar: "القوائم المراد ربطها" }
    rc_pick_none { en: "Tick at least one list to link.", ar: "حدّد قائمة واحدة على الأقل للربط." }
    rc_read_utf16 { en: "The file is UTF-16 text (a spreadsheet's \"Unicode text\"); it was read as such.", ar: "الملف نص UTF-16 (\"نص يونيكود\" من برنامج الجداول)، وقد قُرئ على هذا الأساس." }
    rc_read_windows_1256 { en: "The file is not UTF-8: it was read as Windows-1256 (Arabic Windows). If letters look wrong below, save it as \"CSV UTF-8\" and upload it again.", ar: "الملف ليس بترميز UTF-8: قُرئ بترميز Windows-1256 (ويندوز العربي). إن بدت الحروف أدناه خاطئة فاحفظه بصيغة \"CSV UTF-8\" وارفعه من جديد." }
    rc_threshold { en: "Match threshold", ar: "عتبة التطابق" }
    rc_run_status { en: "Status", ar: "الحالة" }
    rc_stage { en: "Stage", ar: "المرحلة" }
    rc_started { en: "Started", ar: "البدء" }
    rc_running { en: "Running", ar: "قيد التشغيل" }
    rc_done { en: "Done", ar: "اكتمل" }
    rc_failed { en: "Failed", ar: "أخفق" }
    rc_run_title { en: "Linkage run", ar: "عملية ربط" }
    rc_refresh_note { en: "This page refreshes itself every two seconds until the run ends.", ar: "تتحدث هذه الصفحة كل ثانيتين حتى تنتهي العملية." }
    rc_persons { en: "Persons", ar: "الأشخاص" }
    rc_persons_found { en: "Documented unique persons", ar: "الأشخاص الموثَّقون دون تكرار" }
    rc_candidate_pairs { en: "Candidate pairs compared", ar: "الأزواج المرشحة المقارنة" }
    rc_review { en: "Review uncertain pairs", ar: "مراجعة الأزواج غير المؤكدة" }
    rc_review_empty { en: "No pair is waiting for review.", ar: "لا يوجد زوج بانتظار المراجعة." }
    rc_review_help { en: "Each pair the model is unsure about, least certain first. Decide; the next run uses your decisions.", ar: "كل زوج لا يجزم به النموذج، الأقل يقيناً أولاً. قرّر؛ تستخدم العملية التالية قراراتك." }
    rc_probability { en: "Match probability", ar: "احتمال التطابق" }
    rc_record_a { en: "Record A", ar: "السجل أ" }
    rc_record_b { en: "Record B", ar: "السجل ب" }
    rc_weight { en: "Weight (bits)", ar: "الوزن (بت)" }
    rc_level { en: "Agreement", ar: "درجة التوافق" }
    rc_weight_help { en: "A positive weight speaks for one person, a negative one against; the sum with the prior gives the probability.", ar: "الوزن الموجب يرجّح أنهما شخص واحد والسالب يرجّح العكس؛ ومجموعها مع الاحتمال المسبق يعطي الاحتمال." }
    rc_prior { en: "Prior", ar: "المسبق" }
    rc_match { en: "Same person", ar: "الشخص نفسه" }
    rc_non_match { en: "Not the same person", ar: "ليسا الشخص نفسه" }
    rc_unsure { en: "Unsure", ar: "غير متأكد" }
    rc_decision { en: "Decision", ar: "القرار" }
    rc_decided { en: "Decision saved.", ar: "حُفظ القرار." }
    rc_name { en: "Name", ar: "الاسم" }
    rc_mother { en: "Mother", ar: "الأم" }
    rc_sex { en: "Sex", ar: "الجنس" }
    rc_age { en: "Age", ar: "العمر" }
    rc_birth_year { en: "Birth year", ar: "سنة الولادة" }
    rc_date_of_death { en: "Date of death", ar: "تاريخ الوفاة" }
    rc_place { en: "Place", ar: "المكان" }
    rc_governorate { en: "Governorate", ar: "المحافظة" }
    rc_list { en: "List", ar: "القائمة" }
    rc_person { en: "Person", ar: "الشخص" }
    rc_no_run { en: "No finished linkage run yet.", ar: "لا توجد عملية ربط مكتملة بعد." }
    rc_estimates { en: "Estimates", ar: "التقديرات" }
    rc_estimate_new { en: "Run an estimate", ar: "احسب تقديراً" }
    rc_estimate_help { en: "Multiple systems estimation from the persons of the latest run: choose at least two lists, the strata and the method.", ar: "تقدير متعدد الأنظمة من أشخاص آخر عملية ربط: اختر قائمتين على الأقل، والطبقات، والطريقة." }
    rc_strata { en: "Strata", ar: "الطبقات" }
    rc_strata_none { en: "None", ar: "بلا" }
    rc_strata_gov { en: "Governorate", ar: "المحافظة" }
    rc_strata_period { en: "Month of death", ar: "شهر الوفاة" }
    rc_method { en: "Method", ar: "الطريقة" }
    rc_method_loglinear { en: "Log-linear models", ar: "النماذج اللوغاريتمية الخطية" }
    rc_method_bma { en: "Bayesian model averaging", ar: "متوسط النماذج البايزي" }
    rc_method_lcmcr { en: "Latent classes (LCMCR)", ar: "الفئات الكامنة (LCMCR)" }
    rc_observed { en: "Observed", ar: "المرصود" }
    rc_estimate { en: "Estimate", ar: "التقدير" }
    rc_interval { en: "95% interval", ar: "مجال 95٪" }
    rc_unbounded { en: "unbounded", ar: "غير محدود" }
    rc_model { en: "Model", ar: "النموذج" }
    rc_estimate_failed { en: "The estimate could not be made:", ar: "تعذّر حساب التقدير:" }
    rc_estimate_chart { en: "Estimates with their intervals", ar: "التقديرات مع مجالاتها" }
    rc_need_two_lists { en: "Choose at least two lists.", ar: "اختر قائمتين على الأقل." }
    rc_claims { en: "Claims", ar: "الادعاءات" }
    rc_claims_help { en: "Published figures with who said them, about what and as of when. Paste a document to extract its figures into the review queue.", ar: "الأرقام المنشورة مع قائليها وموضوعها وتاريخها. الصق وثيقة لاستخراج أرقامها إلى قائمة المراجعة." }
    rc_documents { en: "Documents", ar: "الوثائق" }
    rc_doc_title { en: "Title", ar: "العنوان" }
    rc_doc_date { en: "Published (YYYY-MM-DD)", ar: "تاريخ النشر (YYYY-MM-DD)" }
    rc_doc_lang { en: "Language", ar: "اللغة" }
    rc_doc_url { en: "Address (URL)", ar: "الرابط" }
    rc_doc_text { en: "Text", ar: "النص" }
    rc_doc_add { en: "Add and extract figures", ar: "أضف واستخرج الأرقام" }
    rc_doc_added { en: "Document added; its figures are in the queue below.", ar: "أُضيفت الوثيقة؛ أرقامها في القائمة أدناه." }
    rc_doc_known { en: "This document was added before.", ar: "أُضيفت هذه الوثيقة من قبل." }
    rc_sha256 { en: "SHA-256", ar: "بصمة SHA-256" }
    rc_value { en: "Figure", ar: "الرقم" }
    rc_low { en: "From", ar: "من" }
    rc_high { en: "To", ar: "إلى" }
    rc_qualifier { en: "Qualifier", ar: "المُحدِّد" }
    rc_measure { en: "Measure", ar: "ما يُعدّ" }
    rc_claimant { en: "Claimant", ar: "صاحب الادعاء" }
    rc_as_of { en: "As of", ar: "حتى تاريخ" }
    rc_scope { en: "Area (p-code)", ar: "المنطقة (الرمز)" }
    rc_quote { en: "Quote", ar: "الاقتباس" }
    rc_status { en: "Status", ar: "الحالة" }
    rc_save { en: "Save", ar: "احفظ" }
    rc_saved { en: "Saved.", ar: "حُفظ." }
    rc_edit { en: "Edit", ar: "تعديل" }
    rc_st_unverified { en: "unverified", ar: "غير متحقَّق منه" }
    rc_st_corroborated { en: "corroborated", ar: "مؤكَّد من مصادر أخرى" }
    rc_st_contested { en: "contested", ar: "متنازع عليه" }
    rc_st_retracted { en: "retracted", ar: "مسحوب" }
    rc_q_over { en: "over", ar: "أكثر من" }
    rc_q_at_least { en: "at least", ar: "على الأقل" }
    rc_q_nearly { en: "nearly", ar: "قرابة" }
    rc_q_about { en: "about", ar: "نحو" }
    rc_q_up_to { en: "up to", ar: "حتى" }
    rc_q_under { en: "under", ar: "أقل من" }
    rc_q_indefinite { en: "indefinite", ar: "غير محدد" }
    rc_q_none { en: "exact", ar: "دقيق" }
    rc_count { en: "The count", ar: "الحصيلة" }
    rc_count_help { en: "Every published claim by claimant and date, beside the documented unique persons and the estimate with its interval. Each mark links to where it came from.", ar: "كل ادعاء منشور حسب صاحبه وتاريخه، إلى جانب الأشخاص الموثَّقين دون تكرار والتقدير مع مجاله. كل علامة ترتبط بمصدرها." }
    rc_count_public { en: "Public page (aggregates only)", ar: "الصفحة العامة (أرقام إجمالية فقط)" }
    rc_count_public_help { en: "Published claims, documented unique persons and the estimate, without any name.", ar: "الادعاءات المنشورة والأشخاص الموثَّقون دون تكرار والتقدير، دون أي اسم." }
    rc_chart_label { en: "Chart of claims, documented persons and the estimate", ar: "رسم الادعاءات والأشخاص الموثَّقين والتقدير" }
    rc_legend_claim { en: "claim (arrow: over / at least; bar: range; hollow: about / nearly)", ar: "ادعاء (سهم: أكثر من / على الأقل؛ خط: مجال؛ مفرغ: نحو / قرابة)" }
    rc_legend_documented { en: "documented unique persons", ar: "أشخاص موثَّقون دون تكرار" }
    rc_legend_estimate { en: "estimate and its interval", ar: "التقدير ومجاله" }
    rc_export_csv { en: "Export CSV (HXL)", ar: "تصدير CSV (HXL)" }
    rc_export_json { en: "Export JSON", ar: "تصدير JSON" }
    rc_all_measures { en: "All deaths", ar: "كل الوفيات" }
    rc_m_killed { en: "killed", ar: "قتلى" }
    rc_m_killed_civilians { en: "civilians killed", ar: "قتلى مدنيون" }
    rc_m_killed_security { en: "security personnel killed", ar: "قتلى من قوات الأمن" }
    rc_m_killed_fighters { en: "fighters killed", ar: "قتلى من المسلحين" }
    rc_m_other { en: "other", ar: "أخرى" }
    rc_show { en: "Show", ar: "اعرض" }
    rc_none_yet { en: "Nothing yet.", ar: "لا شيء بعد." }
    rc_open { en: "Open", ar: "افتح" }
    rc_lang_en { en: "English", ar: "الإنكليزية" }
    rc_lang_ar { en: "Arabic", ar: "العربية" }

    // == document: incidents, evidence, testimonies, rescue, displacement (keys below) ==
    doc_nav_label { en: "Documentation pages", ar: "صفحات التوثيق" }
    doc_sha256 { en: "SHA-256", ar: "بصمة SHA-256" }
    doc_bytes { en: "bytes", ar: "بايت" }
    doc_download { en: "Download the original (logged as viewed)", ar: "تنزيل الأصل (يُسجَّل كاطلاع)" }
    doc_map_title { en: "Incidents by governorate", ar: "الحوادث حسب المحافظة" }
    doc_map_schematic { en: "Schematic map: one tile per governorate, placed roughly as they lie; no boundaries are drawn because none are installed.", ar: "خريطة تخطيطية: مربع لكل محافظة في موقعها التقريبي؛ لا تُرسم الحدود لعدم توفر بياناتها." }
    doc_total_incidents { en: "Incidents recorded", ar: "الحوادث المسجلة" }
    doc_by_district { en: "By district", ar: "حسب المنطقة" }
    doc_district { en: "District", ar: "المنطقة" }
    doc_governorate { en: "Governorate", ar: "المحافظة" }
    doc_incidents { en: "Incidents", ar: "الحوادث" }
    doc_incident { en: "Incident", ar: "حادثة" }
    doc_new_incident { en: "Record an incident", ar: "تسجيل حادثة" }
    doc_save_incident { en: "Save the incident", ar: "حفظ الحادثة" }
    doc_edit_incident { en: "Edit the incident", ar: "تعديل الحادثة" }
    doc_edit_help { en: "Only the fields you change are saved. If someone changed the same field on another instance before you sync, both values are kept and shown on the sync page to choose from. Sources, evidence and victim links stay as they are.", ar: "تُحفظ الحقول التي تغيّرها فقط. إن غيّر أحدٌ الحقلَ نفسه على نسخة أخرى قبل المزامنة، تُحفظ القيمتان وتُعرضان في صفحة المزامنة للاختيار بينهما. تبقى المصادر والأدلة وروابط الضحايا كما هي." }
    doc_edited { en: "The incident was saved.", ar: "حُفظت الحادثة." }
    doc_testimonies { en: "Testimonies", ar: "الشهادات" }
    doc_testimonies_help { en: "Only testimonies of your organization, and those another organization shared with it, are shown. Their content is encrypted at rest.", ar: "تظهر هنا شهادات منظمتك فقط، وما شاركته معها منظمات أخرى. محتواها مشفّر عند التخزين." }
    doc_rescue { en: "Rescue missions", ar: "مهام الإنقاذ" }
    doc_displacement { en: "Displacement", ar: "النزوح" }
    doc_area_code { en: "Area (p-code)", ar: "المنطقة (الرمز)" }
    doc_area { en: "Area", ar: "المنطقة" }
    doc_area_help { en: "A p-code (SY0602) or a name in Arabic or English (Jableh).", ar: "رمز المنطقة (SY0602) أو اسمها بالعربية أو الإنجليزية (جبلة)." }
    doc_place { en: "Place", ar: "المكان" }
    doc_kind { en: "Kind", ar: "النوع" }
    doc_all { en: "All", ar: "الكل" }
    doc_from { en: "From", ar: "من" }
    doc_to { en: "To", ar: "إلى" }
    doc_filter { en: "Filter", ar: "تصفية" }
    doc_bad_date { en: "A date filter was not a date (YYYY-MM-DD) and was left out.", ar: "أحد تواريخ التصفية ليس تاريخًا صالحًا (سنة-شهر-يوم) فأُهمل." }
    doc_none { en: "Nothing recorded yet.", ar: "لم يُسجّل شيء بعد." }
    doc_date { en: "Date", ar: "التاريخ" }
    doc_precision { en: "Date known to", ar: "دقة التاريخ" }
    doc_prec_day { en: "exact day", ar: "اليوم بالضبط" }
    doc_prec_month { en: "month only", ar: "الشهر فقط" }
    doc_prec_approx { en: "approximate", ar: "تقريبي" }
    doc_summary { en: "Description", ar: "الوصف" }
    doc_source { en: "Source", ar: "المصدر" }
    doc_sources { en: "Sources", ar: "المصادر" }
    doc_sources_help { en: "Each source's account as it states it; the alleged perpetrator is never merged across sources.", ar: "رواية كل مصدر كما يوردها؛ لا يُدمج الطرف المتهم بين المصادر." }
    doc_url { en: "Link", ar: "الرابط" }
    doc_link { en: "link", ar: "رابط" }
    doc_perpetrator { en: "Alleged perpetrator (as stated)", ar: "الجهة المتهمة (كما وردت)" }
    doc_target { en: "Targets (as stated)", ar: "المستهدفون (كما وردوا)" }
    doc_claim { en: "What the source says", ar: "ما يقوله المصدر" }
    doc_evidence { en: "Evidence", ar: "الأدلة" }
    doc_add_evidence { en: "Add evidence", ar: "إضافة دليل" }
    doc_evidence_added { en: "The evidence was stored and its capture logged.", ar: "حُفظ الدليل وسُجّل التقاطه." }
    doc_file { en: "File", ar: "الملف" }
    doc_upload { en: "Store the evidence", ar: "حفظ الدليل" }
    doc_media_type { en: "Type (from its bytes)", ar: "النوع (من محتواه)" }
    doc_origin_url { en: "Origin URL", ar: "الرابط الأصلي" }
    doc_origin_url_help { en: "Where it was found online; attach the file you captured from there.", ar: "حيث وُجد على الإنترنت؛ أرفق الملف الذي التقطته منه." }
    doc_captured_at { en: "Captured at (UTC)", ar: "وقت الالتقاط (بالتوقيت العالمي)" }
    doc_capture_tool { en: "Capture tool", ar: "أداة الالتقاط" }
    doc_captured_by { en: "Captured by", ar: "التقطه" }
    doc_violation { en: "Violation (UN Commission of Inquiry)", ar: "الانتهاك (تصنيف لجنة التحقيق الأممية)" }
    doc_vio_killing { en: "Unlawful killing", ar: "القتل غير المشروع" }
    doc_vio_torture { en: "Torture and ill-treatment", ar: "التعذيب وسوء المعاملة" }
    doc_vio_detention { en: "Arbitrary detention", ar: "الاحتجاز التعسفي" }
    doc_vio_disappearance { en: "Enforced disappearance", ar: "الإخفاء القسري" }
    doc_vio_sgbv { en: "Sexual and gender-based violence", ar: "العنف الجنسي والقائم على النوع" }
    doc_vio_attack_civilians { en: "Attack on civilians or civilian objects", ar: "الهجوم على المدنيين أو الأعيان المدنية" }
    doc_vio_attack_medical { en: "Attack on medical personnel or facilities", ar: "الهجوم على الطواقم أو المنشآت الطبية" }
    doc_vio_pillage { en: "Pillage and destruction of property", ar: "النهب وتدمير الممتلكات" }
    doc_vio_displacement { en: "Forced displacement", ar: "التهجير القسري" }
    doc_vio_hostage { en: "Hostage-taking", ar: "أخذ الرهائن" }
    doc_vio_denial_aid { en: "Denial of humanitarian access", ar: "منع وصول المساعدات الإنسانية" }
    doc_vio_uncategorized { en: "Not yet categorized", ar: "لم يُصنّف بعد" }
    doc_ev_battles { en: "Battles", ar: "معارك" }
    doc_ev_explosions { en: "Explosions/Remote violence", ar: "انفجارات/عنف عن بعد" }
    doc_ev_vac { en: "Violence against civilians", ar: "عنف ضد المدنيين" }
    doc_ev_protests { en: "Protests", ar: "احتجاجات" }
    doc_ev_riots { en: "Riots", ar: "أعمال شغب" }
    doc_ev_strategic { en: "Strategic developments", ar: "تطورات استراتيجية" }
    doc_sub_armed_clash { en: "Armed clash", ar: "اشتباك مسلح" }
    doc_sub_gov_regains { en: "Government regains territory", ar: "استعادة الحكومة للأرض" }
    doc_sub_nonstate_overtakes { en: "Non-state actor overtakes territory", ar: "سيطرة جهة غير حكومية على أرض" }
    doc_sub_air_strike { en: "Air/drone strike", ar: "غارة جوية أو بمسيّرة" }
    doc_sub_shelling { en: "Shelling/artillery/missile attack", ar: "قصف مدفعي أو صاروخي" }
    doc_sub_remote_explosive { en: "Remote explosive/landmine/IED", ar: "عبوة ناسفة أو لغم" }
    doc_sub_attack { en: "Attack", ar: "هجوم" }
    doc_sub_abduction { en: "Abduction/forced disappearance", ar: "خطف أو إخفاء قسري" }
    doc_sub_sexual_violence { en: "Sexual violence", ar: "عنف جنسي" }
    doc_sub_peaceful_protest { en: "Peaceful protest", ar: "احتجاج سلمي" }
    doc_sub_mob_violence { en: "Mob violence", ar: "عنف جماعي" }
    doc_sub_looting { en: "Looting/property destruction", ar: "نهب أو تدمير ممتلكات" }
    doc_sub_arrests { en: "Arrests", ar: "اعتقالات" }
    doc_sub_other { en: "Other", ar: "أخرى" }
    doc_custody { en: "Chain of custody", ar: "سلسلة الحفظ" }
    doc_chain_ok { en: "The custody log is intact: every entry links to the one before.", ar: "سجل الحفظ سليم: كل قيد مرتبط بالقيد الذي قبله." }
    doc_chain_broken { en: "The custody log is broken: an entry was changed or removed.", ar: "سجل الحفظ مكسور: عُدّل قيد أو حُذف." }
    doc_event { en: "Event", ar: "الحدث" }
    doc_when { en: "When", ar: "متى" }
    doc_note { en: "Note", ar: "ملاحظة" }
    doc_hash { en: "Hash", ar: "البصمة" }
    doc_cust_captured { en: "captured", ar: "التُقط" }
    doc_cust_viewed { en: "viewed", ar: "عُرض" }
    doc_cust_transferred { en: "transferred", ar: "نُقل" }
    doc_cust_exported { en: "exported", ar: "صُدّر" }
    doc_cust_verified { en: "verified", ar: "تُحقّق منه" }
    doc_consent { en: "Consent", ar: "الموافقة" }
    doc_consent_internal { en: "internal use only", ar: "للاستخدام الداخلي فقط" }
    doc_consent_investigators { en: "may go to investigators", ar: "يجوز تسليمها للمحققين" }
    doc_consent_public { en: "public once anonymised", ar: "علنية بعد إخفاء الهوية" }
    doc_interviewer { en: "Interviewer", ar: "المقابِل" }
    doc_shared_with_you { en: "shared with your organization", ar: "مشاركة مع منظمتك" }
    doc_shared_count { en: "shared with organizations", ar: "عدد المنظمات المشاركة معها" }
    doc_missions { en: "Missions", ar: "المهام" }
    doc_bodies { en: "Bodies recovered", ar: "الجثث المنتشلة" }
    doc_alive { en: "Rescued alive", ar: "أُنقذوا أحياء" }
    doc_daily_chart { en: "Missions and bodies recovered per day", ar: "المهام والجثث المنتشلة في كل يوم" }
    doc_team { en: "Team", ar: "الفريق" }
    doc_remarks { en: "Remarks", ar: "ملاحظات" }
    doc_handed_over { en: "Handed over to", ar: "سُلّم إلى" }
    doc_mk_search { en: "search and rescue", ar: "بحث وإنقاذ" }
    doc_mk_bodies { en: "body recovery", ar: "انتشال جثث" }
    doc_mk_evacuation { en: "evacuation", ar: "إخلاء" }
    doc_mk_fire { en: "fire", ar: "إطفاء حريق" }
    doc_flow_title { en: "Where people fled: origin → site", ar: "إلى أين نزح الناس: من المنشأ إلى الموقع" }
    doc_flow_help { en: "Each line joins an area people came from to a site; its width follows the largest count of people any source reported for that site.", ar: "يصل كل خط منطقة قدم منها الناس بموقع نزوح؛ يتبع عرضه أكبر عدد أفراد أورده أي مصدر لذلك الموقع." }
    doc_sites { en: "Sites and what each source reported", ar: "المواقع وما أورده كل مصدر" }
    doc_counts_conflict { en: "Sources disagree on this site: their counts are shown side by side, none replaces another.", ar: "تختلف المصادر حول هذا الموقع: تُعرض أرقامها جنبًا إلى جنب، ولا يحلّ أحدها محل الآخر." }
    doc_as_of { en: "As of", ar: "حتى تاريخ" }
    doc_families { en: "Families", ar: "العائلات" }
    doc_individuals { en: "People", ar: "الأفراد" }
    doc_needs { en: "Needs", ar: "الاحتياجات" }
    doc_site_air_base { en: "air base", ar: "قاعدة جوية" }
    doc_site_forest { en: "woods", ar: "أحراج" }
    doc_site_host { en: "host community", ar: "مجتمع مضيف" }
    doc_site_shelter { en: "collective shelter", ar: "مركز إيواء جماعي" }
    doc_site_cross_border { en: "across the border", ar: "عبر الحدود" }
    doc_new_mission { en: "Record a rescue mission", ar: "تسجيل مهمة إنقاذ" }
    doc_save_mission { en: "Save the mission", ar: "حفظ المهمة" }
    doc_started_at { en: "Set out at (UTC)", ar: "وقت الانطلاق (بالتوقيت العالمي)" }
    doc_mission { en: "Rescue mission", ar: "مهمة إنقاذ" }
    doc_mission_saved { en: "The mission was saved.", ar: "حُفظت المهمة." }
    doc_open { en: "Open", ar: "افتح" }
    doc_err_team { en: "Give the team's name.", ar: "اكتب اسم الفريق." }
    doc_err_time { en: "Give the date and time it set out.", ar: "اكتب تاريخ الانطلاق ووقته." }
    doc_err_area { en: "The area was not found: give a p-code (SY0602) or a name in Arabic or English.", ar: "لم يُعثر على المنطقة: اكتب رمزها (SY0602) أو اسمها بالعربية أو الإنجليزية." }
    doc_err_kind { en: "Choose a kind from the list.", ar: "اختر نوعًا من القائمة." }
    doc_err_count { en: "Counts must be whole numbers, 0 or more (Arabic-Indic digits are accepted).", ar: "يجب أن تكون الأعداد أعدادًا صحيحة، صفرًا أو أكثر (تُقبل الأرقام العربية)." }
    doc_bodies_records { en: "Recovered bodies recorded as victims", ar: "الجثث المنتشلة المسجلة كضحايا" }
    doc_body_to_victim { en: "Record the next recovered body as a victim record", ar: "تسجيل الجثة التالية كسجل ضحية" }
    doc_body_help { en: "The record joins your organization's victim lists (status unknown, date of death the mission's day, governorate and place of the mission), where it is linked and counted with the other lists. The name is encrypted.", ar: "يُضاف السجل إلى قوائم ضحايا منظمتك (الصفة غير معروفة، وتاريخ الوفاة يوم المهمة، والمحافظة والمكان مكان المهمة)، حيث يُربط ويُعدّ مع القوائم الأخرى. الاسم مشفّر." }
    doc_name_optional { en: "Name, if identified", ar: "الاسم إن عُرف" }
    doc_sex { en: "Sex", ar: "الجنس" }
    doc_sex_unknown { en: "unknown", ar: "غير معروف" }
    doc_sex_male { en: "male", ar: "ذكر" }
    doc_sex_female { en: "female", ar: "أنثى" }
    doc_age { en: "Age (estimated)", ar: "العمر (تقديرًا)" }
    doc_save_body { en: "Add the victim record", ar: "إضافة سجل الضحية" }
    doc_body_saved { en: "The body was recorded as a victim record.", ar: "سُجّلت الجثة كسجل ضحية." }
    doc_all_bodies_done { en: "Every body this mission recovered is already a victim record.", ar: "كل الجثث التي انتشلتها هذه المهمة مسجلة كضحايا." }
    doc_body_no { en: "Body", ar: "الجثة" }
    doc_record { en: "Victim record", ar: "سجل الضحية" }
    doc_err_age { en: "Age must be a whole number from 0 to 130.", ar: "يجب أن يكون العمر عددًا صحيحًا من 0 إلى 130." }
    doc_new_testimony { en: "Record a testimony", ar: "تسجيل شهادة" }
    doc_save_testimony { en: "Save the testimony (encrypted)", ar: "حفظ الشهادة (مشفّرة)" }
    doc_interviewed_on { en: "Interview date", ar: "تاريخ المقابلة" }
    doc_content { en: "What was said", ar: "ما قيل" }
    doc_about_incident { en: "About the incident", ar: "عن الحادثة" }
    doc_no_incident { en: "none", ar: "لا شيء" }
    doc_testimony_saved { en: "The testimony was saved; its content is encrypted.", ar: "حُفظت الشهادة؛ محتواها مشفّر." }
    doc_share { en: "Share with", ar: "مشاركة مع" }
    doc_share_button { en: "Share", ar: "شارك" }
    doc_shared { en: "The testimony was shared.", ar: "شوركت الشهادة." }
    doc_cannot_share_internal { en: "Internal use only: the witness did not consent to sharing.", ar: "للاستخدام الداخلي فقط: لم يوافق الشاهد على مشاركتها." }
    doc_err_interviewer { en: "Give the interviewer's name.", ar: "اكتب اسم المقابِل." }
    doc_err_content { en: "The testimony is empty.", ar: "الشهادة فارغة." }
    doc_err_date { en: "Give a date as YYYY-MM-DD.", ar: "اكتب التاريخ بصيغة سنة-شهر-يوم." }
    doc_err_consent { en: "Choose the consent the witness gave.", ar: "اختر الموافقة التي أعطاها الشاهد." }
    doc_err_org { en: "Choose another organization.", ar: "اختر منظمة أخرى." }
    doc_organization { en: "Organization", ar: "المنظمة" }
    doc_new_site { en: "Add a site", ar: "إضافة موقع" }
    doc_site_name { en: "Name", ar: "الاسم" }
    doc_site_name_ar { en: "Arabic name", ar: "الاسم بالعربية" }
    doc_save_site { en: "Save the site", ar: "حفظ الموقع" }
    doc_new_report { en: "Add what a source reported", ar: "إضافة ما أورده مصدر" }
    doc_site { en: "Site", ar: "الموقع" }
    doc_origins { en: "Came from (areas, separated by commas)", ar: "قدموا من (مناطق تفصل بينها فواصل)" }
    doc_save_report { en: "Save the report", ar: "حفظ التقرير" }
    doc_saved { en: "Saved.", ar: "حُفظ." }
    doc_err_site_name { en: "Give the site's name; another site may not have it.", ar: "اكتب اسم الموقع؛ ولا يجوز أن يحمله موقع آخر." }
    doc_err_site { en: "Choose a site.", ar: "اختر موقعًا." }
    doc_err_origins { en: "An area people came from was not found.", ar: "لم يُعثر على إحدى المناطق التي قدم منها الناس." }
    doc_err_counts_needed { en: "Give a count of families or of people.", ar: "اكتب عدد العائلات أو الأفراد." }
    doc_err_source { en: "Give the source.", ar: "اكتب المصدر." }
    doc_transfer { en: "Record a transfer", ar: "تسجيل تسليم" }
    doc_transfer_to { en: "Handed to (person and organization)", ar: "سُلّم إلى (الشخص والجهة)" }
    doc_save_transfer { en: "Add to the custody log", ar: "إضافة إلى سجل الحفظ" }
    doc_transferred { en: "The transfer was added to the custody log.", ar: "أُضيف التسليم إلى سجل الحفظ." }
    doc_err_transfer { en: "Say to whom it was handed.", ar: "اذكر لمن سُلّم." }
    doc_victims { en: "Victims in your organization's lists", ar: "الضحايا في قوائم منظمتك" }
    doc_victims_others { en: "records of other organizations are linked (not shown)", ar: "سجلات لمنظمات أخرى مرتبطة (لا تُعرض)" }
    doc_link_victim { en: "Link a victim record", ar: "ربط سجل ضحية" }
    doc_list { en: "List", ar: "القائمة" }
    doc_record_id { en: "Record id in the list", ar: "رقم السجل في القائمة" }
    doc_save_link { en: "Link", ar: "اربط" }
    doc_linked { en: "The victim record was linked.", ar: "رُبط سجل الضحية." }
    doc_err_record { en: "No record with this id in that list of your organization.", ar: "لا يوجد سجل بهذا الرقم في تلك القائمة لدى منظمتك." }
    doc_no_lists { en: "Your organization has no victim list yet; import one under Reconcile.", ar: "ليس لدى منظمتك قائمة ضحايا بعد؛ استوردها من قسم المطابقة." }
    doc_export { en: "Export a package for investigators", ar: "تصدير حزمة للمحققين" }
    doc_export_help { en: "Tick the incidents to include. The zip holds their records (CSV and JSON), the original evidence files, the custody log, a method note and a manifest of SHA-256s; anyone can check it with sijill export verify. Each export is logged.", ar: "ضع علامة على الحوادث المراد تضمينها. يحوي الملف المضغوط سجلاتها (CSV وJSON) وملفات الأدلة الأصلية وسجل الحفظ وملاحظة عن المنهج وبيانًا ببصمات SHA-256؛ يمكن لأي أحد التحقق منه بالأمر sijill export verify. يُسجَّل كل تصدير." }
    doc_export_button { en: "Download the package", ar: "تنزيل الحزمة" }
    doc_select { en: "Include", ar: "تضمين" }
    doc_err_select { en: "Tick at least one incident.", ar: "ضع علامة على حادثة واحدة على الأقل." }
    doc_err_tampered { en: "A stored evidence file no longer matches its SHA-256, so the export was stopped. Run sijill evidence verify.", ar: "أحد ملفات الأدلة المخزنة لم يعد يطابق بصمته، فأُوقف التصدير. شغّل الأمر sijill evidence verify." }

    // == respond: campaigns, distributions, households, cash, volunteers, dialogue, 4W (keys below) ==
    rs_overview { en: "Overview", ar: "نظرة عامة" }
    rs_distributions { en: "Distributions", ar: "التوزيعات" }
    rs_households { en: "Households", ar: "الأسر" }
    rs_cash { en: "Cash", ar: "المساعدات النقدية" }
    rs_volunteers { en: "Volunteers", ar: "المتطوعون" }
    rs_dialogue { en: "Dialogue sessions", ar: "جلسات الحوار" }
    rs_fourw { en: "4W matrix", ar: "مصفوفة من وماذا وأين ومتى" }
    rs_import { en: "Import", ar: "استيراد" }
    rs_public { en: "Public figures", ar: "أرقام للعموم" }
    rs_campaigns { en: "Campaigns", ar: "الحملات" }
    rs_summary_title { en: "In short", ar: "باختصار" }
    rs_summary_empty { en: "Nothing distributed yet.", ar: "لم يُوزَّع شيء بعد." }
    rs_cash_for { en: "cash for {n}", ar: "مساعدات نقدية لـ{n}" }
    rs_n_family { en: "family|families", ar: "أسرة|أسرتين|أسر|أسرةً" }
    rs_n_beneficiary { en: "beneficiary|beneficiaries", ar: "مستفيد|مستفيدَين|مستفيدين|مستفيدًا" }
    rs_n_volunteer { en: "volunteer|volunteers", ar: "متطوع|متطوعَين|متطوعين|متطوعًا" }
    rs_n_session { en: "dialogue session|dialogue sessions", ar: "جلسة حوار|جلستا حوار|جلسات حوار|جلسةَ حوار" }
    rs_i_food_basket { en: "food basket|food baskets", ar: "سلة غذائية|سلتان غذائيتان|سلال غذائية|سلةً غذائية" }
    rs_i_bread { en: "loaf|loaves", ar: "رغيف خبز|رغيفا خبز|أرغفة خبز|رغيفَ خبز" }
    rs_i_ready_meal { en: "ready meal|ready meals", ar: "وجبة جاهزة|وجبتان جاهزتان|وجبات جاهزة|وجبةً جاهزة" }
    rs_i_hygiene_kit { en: "hygiene kit|hygiene kits", ar: "حقيبة نظافة|حقيبتا نظافة|حقائب نظافة|حقيبةَ نظافة" }
    rs_i_diapers { en: "pack of diapers|packs of diapers", ar: "عبوة حفاضات|عبوتا حفاضات|عبوات حفاضات|عبوةَ حفاضات" }
    rs_i_towels { en: "towel|towels", ar: "منشفة|منشفتان|مناشف|منشفةً" }
    rs_i_cleaning_kit { en: "cleaning kit|cleaning kits", ar: "سلة تنظيف|سلتا تنظيف|سلال تنظيف|سلةَ تنظيف" }
    rs_i_water { en: "litre of water|litres of water", ar: "ليتر ماء|ليترا ماء|ليترات ماء|ليترَ ماء" }
    rs_i_blanket { en: "blanket|blankets", ar: "بطانية|بطانيتان|بطانيات|بطانيةً" }
    rs_i_medical_kit { en: "first-aid kit|first-aid kits", ar: "حقيبة إسعاف|حقيبتا إسعاف|حقائب إسعاف|حقيبةَ إسعاف" }
    rs_stat_distributions { en: "Distributions recorded", ar: "توزيعات مسجَّلة" }
    rs_stat_reported_hh { en: "Households served, as each distribution reported them", ar: "الأسر المخدومة كما أبلغ عنها كل توزيع" }
    rs_stat_registered { en: "Households registered", ar: "الأسر المسجَّلة" }
    rs_stat_unique { en: "Unique households", ar: "الأسر دون تكرار" }
    rs_stat_shared { en: "Registered by two or more partners", ar: "مسجَّلة لدى شريكين أو أكثر" }
    rs_stat_individuals { en: "Individuals reached", ar: "الأفراد المستفيدون" }
    rs_stat_my_alerts { en: "Possible duplicates in your register", ar: "تكرارات محتملة في سجلّ منظمتك" }
    rs_reach_note { en: "Each distribution reports the households it served, so a family served twice counts twice there; registered households are counted once across the network, by the identity hash.", ar: "يُبلغ كل توزيع عن الأسر التي خدمها، فتُحسب الأسرة المخدومة مرتين مرتين هناك؛ أما الأسر المسجَّلة فتُحسب مرة واحدة على مستوى الشبكة بفضل بصمة الهوية." }
    rs_gaps_title { en: "Areas without relief", ar: "مناطق لم تصلها الإغاثة" }
    rs_gaps_none { en: "Every area in need received relief.", ar: "وصلت الإغاثة إلى كل المناطق المحتاجة." }
    rs_reason_target { en: "campaign target area", ar: "منطقة مستهدفة في الحملة" }
    rs_reason_incident { en: "incidents recorded", ar: "حوادث مسجَّلة" }
    rs_reason_displacement { en: "displacement site", ar: "موقع نزوح" }
    rs_map_title { en: "Map of relief", ar: "خريطة الإغاثة" }
    rs_map_note { en: "Schematic map: a circle at each area's centre, sized by the households served; red rings mark areas in need without relief.", ar: "خريطة تخطيطية: دائرة في مركز كل منطقة بحجم الأسر المخدومة؛ والحلقات الحمراء مناطق محتاجة لم تصلها الإغاثة." }
    rs_campaign { en: "Campaign", ar: "الحملة" }
    rs_campaign_none { en: "No campaign", ar: "بلا حملة" }
    rs_campaign_name { en: "Campaign name", ar: "اسم الحملة" }
    rs_campaign_name_ar { en: "Campaign name in Arabic", ar: "اسم الحملة بالعربية" }
    rs_starts { en: "First day", ar: "اليوم الأول" }
    rs_ends { en: "Last day", ar: "اليوم الأخير" }
    rs_partners { en: "Partners", ar: "الشركاء" }
    rs_areas { en: "Target areas (names or p-codes, separated by commas)", ar: "المناطق المستهدفة (أسماء أو رموز، مفصولة بفواصل)" }
    rs_campaign_create { en: "Add campaign", ar: "أضف حملة" }
    rs_campaign_created { en: "Campaign added.", ar: "أُضيفت الحملة." }
    rs_lead { en: "Lead organization", ar: "المنظمة المنسِّقة" }
    rs_days { en: "Days", ar: "الأيام" }
    rs_date { en: "Date", ar: "التاريخ" }
    rs_area { en: "Area", ar: "المنطقة" }
    rs_area_hint { en: "Type a name or p-code", ar: "اكتب اسمًا أو رمزًا" }
    rs_site { en: "Site (optional)", ar: "الموقع (اختياري)" }
    rs_item { en: "Item", ar: "المادة" }
    rs_quantity { en: "Quantity", ar: "الكمية" }
    rs_households_reached { en: "Households served", ar: "الأسر المخدومة" }
    rs_individuals { en: "Individuals reached", ar: "الأفراد المستفيدون" }
    rs_save { en: "Save", ar: "احفظ" }
    rs_edit { en: "Edit", ar: "تعديل" }
    rs_edit_distribution { en: "Correct a distribution", ar: "تصحيح توزيع" }
    rs_edit_help { en: "Only the fields you change are saved. If someone changed the same field on another instance before you sync, both values are kept and shown on the sync page to choose from.", ar: "تُحفظ الحقول التي تغيّرها فقط. إن غيّر أحدٌ الحقلَ نفسه على نسخة أخرى قبل المزامنة، تُحفظ القيمتان وتُعرضان في صفحة المزامنة للاختيار بينهما." }
    rs_delete_distribution { en: "Delete this distribution", ar: "حذف هذا التوزيع" }
    rs_delete_confirm { en: "Yes, this distribution was entered by mistake: delete it.", ar: "نعم، أُدخل هذا التوزيع خطأً: احذفه." }
    rs_delete { en: "Delete", ar: "احذف" }
    rs_deleted { en: "The distribution was deleted.", ar: "حُذف التوزيع." }
    rs_edit_household { en: "Correct a household", ar: "تصحيح بيانات أسرة" }
    rs_household_saved { en: "The household was saved; its duplicate alert follows the corrected details.", ar: "حُفظت الأسرة؛ وتنبيه التكرار يتبع البيانات المصحّحة." }
    rs_saved { en: "Saved.", ar: "حُفظ." }
    rs_recent { en: "Recently entered by your organization", ar: "ما أدخلته منظمتك مؤخرًا" }
    rs_read_only { en: "Your role can read this page but not enter records.", ar: "دورك يتيح قراءة هذه الصفحة لا إدخال السجلات." }
    rs_head_name { en: "Head of household: full name", ar: "معيل الأسرة: الاسم الكامل" }
    rs_father_name { en: "Father's name", ar: "اسم الأب" }
    rs_birth_year { en: "Birth year", ar: "سنة الميلاد" }
    rs_contact { en: "Phone or contact (optional)", ar: "الهاتف أو وسيلة التواصل (اختياري)" }
    rs_size { en: "Members", ar: "عدد الأفراد" }
    rs_females { en: "Females", ar: "إناث" }
    rs_males { en: "Males", ar: "ذكور" }
    rs_children { en: "Under 18", ar: "دون 18 عامًا" }
    rs_elderly { en: "60 and older", ar: "60 عامًا فأكثر" }
    rs_vulnerability { en: "Vulnerabilities", ar: "مواطن الضعف" }
    rs_v_female_headed { en: "Female-headed", ar: "تعيلها امرأة" }
    rs_v_elderly_headed { en: "Headed by an older person", ar: "يعيلها مسنّ" }
    rs_v_disability { en: "Disability", ar: "إعاقة" }
    rs_v_chronic { en: "Chronic illness", ar: "مرض مزمن" }
    rs_v_pregnant { en: "Pregnant or breastfeeding", ar: "حامل أو مرضع" }
    rs_v_injured { en: "Injured in the events", ar: "إصابة في الأحداث" }
    rs_v_displaced { en: "Displaced", ar: "نازحة" }
    rs_v_lost { en: "A member killed or missing", ar: "فقدت أحد أفرادها قتلًا أو فقدانًا" }
    rs_register { en: "Register household", ar: "سجّل الأسرة" }
    rs_registered_note { en: "Household registered.", ar: "سُجّلت الأسرة." }
    rs_privacy_note { en: "Names and contacts are encrypted and seen only by your organization. Other partners only learn that a household with the same identity is in your register.", ar: "الأسماء ووسائل التواصل مشفّرة ولا تراها إلا منظمتك. لا يعرف الشركاء الآخرون إلا أن أسرة بالهوية نفسها مسجَّلة لديكم." }
    rs_dup_alert { en: "Possibly also registered by", ar: "ربما سجّلتها أيضًا" }
    rs_same { en: "Same household", ar: "الأسرة نفسها" }
    rs_different { en: "Not the same", ar: "ليست الأسرة نفسها" }
    rs_reviewed { en: "Decision saved.", ar: "حُفظ القرار." }
    rs_merge_title { en: "Merge two records of your organization", ar: "ادمج سجلّين لمنظمتك" }
    rs_keep { en: "Record to keep", ar: "السجلّ الذي يبقى" }
    rs_duplicate { en: "Duplicate to merge into it", ar: "المكرَّر الذي يُدمج فيه" }
    rs_merge { en: "Merge", ar: "ادمج" }
    rs_merged { en: "Records merged.", ar: "دُمج السجلّان." }
    rs_merged_into { en: "merged", ar: "مدموج" }
    rs_name_col { en: "Name", ar: "الاسم" }
    rs_household { en: "Household", ar: "الأسرة" }
    rs_amount { en: "Amount", ar: "المبلغ" }
    rs_currency { en: "Currency", ar: "العملة" }
    rs_modality { en: "Modality", ar: "طريقة الصرف" }
    rs_m_cash_in_hand { en: "Cash in hand", ar: "نقدًا باليد" }
    rs_m_mobile { en: "Mobile money", ar: "محفظة إلكترونية" }
    rs_m_voucher { en: "Voucher", ar: "قسيمة" }
    rs_m_bank { en: "Bank transfer", ar: "تحويل مصرفي" }
    rs_m_hawala { en: "Hawala", ar: "حوالة" }
    rs_allow_repeat { en: "Pay again on purpose (a second round)", ar: "صرف مقصود مرة أخرى (جولة ثانية)" }
    rs_pay { en: "Record payment", ar: "سجّل الصرف" }
    rs_paid { en: "Payment recorded.", ar: "سُجّل الصرف." }
    rs_guard { en: "This household was already paid within 30 days, on", ar: "صُرف لهذه الأسرة خلال 30 يومًا، بتاريخ" }
    rs_guard_by { en: "by", ar: "من قِبل" }
    rs_guard_hint { en: "Tick the box below only if this is a deliberate second payment.", ar: "ضع علامة في المربع أدناه فقط إن كان هذا صرفًا ثانيًا مقصودًا." }
    rs_cash_no_households { en: "Register a household first.", ar: "سجّل أسرة أولًا." }
    rs_skills { en: "Skills (separated by commas)", ar: "المهارات (مفصولة بفواصل)" }
    rs_days_active { en: "Days active", ar: "أيام العمل" }
    rs_add_volunteer { en: "Add volunteer", ar: "أضف متطوعًا" }
    rs_network_volunteers { en: "Volunteers in the network", ar: "المتطوعون في الشبكة" }
    rs_volunteer_days { en: "Volunteer-days", ar: "أيام التطوع" }
    rs_facilitators { en: "Facilitators", ar: "الميسّرون" }
    rs_g_dignitaries { en: "Dignitaries", ar: "وجهاء" }
    rs_g_residents { en: "Residents", ar: "سكان" }
    rs_g_activists { en: "Activists", ar: "ناشطون" }
    rs_g_youth { en: "Youth", ar: "شباب" }
    rs_g_women { en: "Women", ar: "نساء" }
    rs_participants { en: "Participants", ar: "المشاركون" }
    rs_topics { en: "Topics", ar: "المواضيع" }
    rs_outcomes { en: "Outcomes", ar: "النتائج" }
    rs_follow_ups { en: "Follow-up initiatives", ar: "مبادرات المتابعة" }
    rs_add_session { en: "Add session", ar: "أضف جلسة" }
    rs_who { en: "Who", ar: "من" }
    rs_what { en: "What", ar: "ماذا" }
    rs_where { en: "Where", ar: "أين" }
    rs_when { en: "When", ar: "متى" }
    rs_by_area_item { en: "By area and item", ar: "حسب المنطقة والمادة" }
    rs_by_day { en: "Who, what, where, when", ar: "من، ماذا، أين، متى" }
    rs_export_csv { en: "CSV with HXL tags", ar: "ملف CSV بوسوم HXL" }
    rs_export_xlsx { en: "Excel workbook", ar: "مصنّف إكسل" }
    rs_all_campaigns { en: "All campaigns", ar: "كل الحملات" }
    rs_filter { en: "Show", ar: "اعرض" }
    rs_from { en: "From", ar: "من تاريخ" }
    rs_to { en: "To", ar: "إلى تاريخ" }
    rs_all_orgs { en: "All organizations", ar: "كل المنظمات" }
    rs_all_areas { en: "All areas", ar: "كل المناطق" }
    rs_all_items { en: "All items", ar: "كل المواد" }
    rs_clear_filter { en: "Show everything", ar: "اعرض الكل" }
    rs_bad_filter { en: "Part of the filter was not understood and was left out: choose from the lists and give dates as YYYY-MM-DD.", ar: "لم يُفهم جزء من التصفية فتُرك: اختر من القوائم واكتب التواريخ بالصيغة سنة-شهر-يوم." }
    rs_export_all { en: "each export holds every row of the campaign, on one sheet.", ar: "يحوي كل تصدير جميع صفوف الحملة في ورقة واحدة." }
    rs_4w_summary { en: "Summary by organization, area and item", ar: "ملخص حسب المنظمة والمنطقة والمادة" }
    rs_4w_summary_note { en: "Sums over every day the filter keeps. Quantities add up per item only, since items count different units.", ar: "مجاميع كل الأيام التي تُبقيها التصفية. تُجمع الكميات لكل مادة على حدة، لأن المواد تُعدّ بوحدات مختلفة." }
    rs_distributions_n { en: "Distributions", ar: "عدد التوزيعات" }
    rs_total_for { en: "Total for {name}", ar: "مجموع {name}" }
    rs_grand_total { en: "Total", ar: "المجموع" }
    rs_rows_of { en: "Rows {first}–{last} of {total} (page {page} of {pages})", ar: "الصفوف {first}–{last} من {total} (الصفحة {page} من {pages})" }
    rs_pages { en: "Pages of the rows by day", ar: "صفحات الصفوف حسب اليوم" }
    rs_page_first { en: "First page", ar: "الصفحة الأولى" }
    rs_page_prev { en: "Previous page", ar: "الصفحة السابقة" }
    rs_page_next { en: "Next page", ar: "الصفحة التالية" }
    rs_page_last { en: "Last page", ar: "الصفحة الأخيرة" }
    rs_total { en: "Total", ar: "المجموع" }
    rs_import_title { en: "Import a KoboToolbox or ODK export", ar: "استورد ملفًا مُصدَّرًا من كوبو أو أو دي كي" }
    rs_import_help { en: "Upload the export as CSV or XLSX. Group prefixes such as group_x/field are understood. Every row is checked first; nothing is stored unless every row is valid, and importing the same file again adds nothing.", ar: "ارفع الملف المُصدَّر بصيغة CSV أو XLSX. تُفهم بادئات المجموعات مثل group_x/field. يُفحص كل صف أولًا؛ لا يُخزَّن شيء ما لم تصحّ كل الصفوف، وإعادة استيراد الملف نفسه لا تضيف شيئًا." }
    rs_import_kind { en: "Records", ar: "السجلات" }
    rs_file { en: "File (CSV or XLSX)", ar: "الملف (CSV أو XLSX)" }
    rs_mapping { en: "Column mapping (optional): one line per field, field=column", ar: "مطابقة الأعمدة (اختياري): سطر لكل حقل بصيغة الحقل=العمود" }
    rs_import_go { en: "Check and import", ar: "افحص واستورد" }
    rs_added { en: "Added", ar: "أُضيف" }
    rs_already { en: "Already there, left as they were", ar: "موجود سابقًا وتُرك كما هو" }
    rs_import_failed { en: "Nothing was imported: fix these rows and import again.", ar: "لم يُستورد شيء: صحّح هذه الصفوف وأعد الاستيراد." }
    rs_row { en: "Row", ar: "الصف" }
    rs_column { en: "Column", ar: "العمود" }
    rs_problem { en: "Problem", ar: "المشكلة" }
    rs_dropped { en: "Columns dropped, never stored:", ar: "أعمدة أُسقطت ولا تُخزَّن أبدًا:" }
    rs_field { en: "Field", ar: "الحقل" }
    rs_e_missing { en: "missing value", ar: "قيمة ناقصة" }
    rs_e_number { en: "not a whole number", ar: "ليس عددًا صحيحًا" }
    rs_e_date { en: "not a date (YYYY-MM-DD)", ar: "ليس تاريخًا (سنة-شهر-يوم)" }
    rs_e_area { en: "unknown area", ar: "منطقة غير معروفة" }
    rs_e_item { en: "unknown item", ar: "مادة غير معروفة" }
    rs_e_column { en: "no such column in the file", ar: "لا يوجد عمود بهذا الاسم في الملف" }
    rs_e_file { en: "The file could not be read as CSV or XLSX.", ar: "تعذّرت قراءة الملف بصيغة CSV أو XLSX." }
    rs_e_invalid { en: "not valid", ar: "قيمة غير صالحة" }
    rs_public_title { en: "Relief figures", ar: "أرقام الإغاثة" }
    rs_public_note { en: "Counts under 5 households are shown as fewer than 5, so that no family can be singled out.", ar: "تظهر الأعداد دون 5 أسر بعبارة أقل من 5، كي لا يمكن تمييز أي أسرة." }
    rs_fewer_than_5 { en: "fewer than 5", ar: "أقل من 5" }
    rs_governorate { en: "Governorate", ar: "المحافظة" }

    // == edits: corrections and deletions of entered records (keys below) ==
    ed_err_confirm { en: "Tick the box to confirm the deletion.", ar: "ضع علامة في المربع لتأكيد الحذف." }
    ed_err_too_long { en: "A text is longer than allowed: shorten it.", ar: "أحد النصوص أطول من المسموح: اختصره." }
    ed_edit_mission { en: "Correct a rescue mission", ar: "تصحيح مهمة إنقاذ" }
    ed_delete_mission { en: "Delete this mission", ar: "حذف هذه المهمة" }
    ed_delete_mission_confirm { en: "Yes, this mission was recorded by mistake: delete it.", ar: "نعم، سُجّلت هذه المهمة خطأً: احذفها." }
    ed_mission_has_bodies { en: "Bodies recovered on this mission are victim records already, so it cannot be deleted; correct it instead.", ar: "صارت جثامين هذه المهمة سجلات ضحايا، فلا يمكن حذفها؛ صحّحها بدلًا من ذلك." }
    ed_mission_deleted { en: "The mission was deleted.", ar: "حُذفت المهمة." }
    ed_edit_report { en: "Correct a displacement report", ar: "تصحيح تقرير نزوح" }
    ed_delete_report { en: "Delete this report", ar: "حذف هذا التقرير" }
    ed_delete_report_confirm { en: "Yes, this report was entered by mistake: delete it.", ar: "نعم، أُدخل هذا التقرير خطأً: احذفه." }
    ed_report_deleted { en: "The report was deleted.", ar: "حُذف التقرير." }
    ed_edit_volunteer { en: "Correct a volunteer", ar: "تصحيح بيانات متطوع" }
    ed_delete_volunteer { en: "Delete this volunteer", ar: "حذف هذا المتطوع" }
    ed_delete_volunteer_confirm { en: "Yes, this volunteer was entered by mistake: delete the record.", ar: "نعم، أُدخل هذا المتطوع خطأً: احذف السجل." }
    ed_edit_dialogue { en: "Correct a dialogue session", ar: "تصحيح جلسة حوار" }
    ed_delete_dialogue { en: "Delete this session", ar: "حذف هذه الجلسة" }
    ed_edit_cash { en: "Correct a cash transfer", ar: "تصحيح تحويل نقدي" }
    ed_delete_cash { en: "Delete this transfer", ar: "حذف هذا التحويل" }
    ed_delete_cash_confirm { en: "Yes, this transfer was entered by mistake: delete it.", ar: "نعم، أُدخل هذا التحويل خطأً: احذفه." }
    ed_edit_evidence { en: "Correct the metadata", ar: "تصحيح البيانات الوصفية" }
    ed_evidence_help { en: "The file and its SHA-256 stay as they are; only what is said about it changes.", ar: "يبقى الملف وبصمته SHA-256 كما هما؛ يتغيّر ما يُقال عنه فقط." }
    ed_edit_consent { en: "Change the consent", ar: "تغيير الموافقة" }
    ed_consent_help { en: "The consent scope says who may receive this testimony. The content is not changed here.", ar: "يحدّد نطاق الموافقة من يجوز أن يتلقى هذه الشهادة. لا يُغيَّر المحتوى هنا." }
    ed_consent_shared { en: "This testimony is shared with other organizations: internal use only cannot be set while those shares exist.", ar: "هذه الشهادة مشتركة مع منظمات أخرى: لا يمكن جعلها للاستخدام الداخلي فقط ما دامت هذه المشاركات قائمة." }
    ed_delete_dialogue_confirm { en: "Yes, this session was entered by mistake: delete it.", ar: "نعم، أُدخلت هذه الجلسة خطأً: احذفها." }

    // == protect: permissions, encryption, audit, backups (keys below) ==
    error_too_large { en: "This is more than the server accepts at once. Send a smaller file, or split the text or list into parts.", ar: "هذا أكبر مما يقبله الخادم دفعة واحدة. أرسل ملفًا أصغر، أو قسّم النص أو القائمة إلى أجزاء." }

    // == sync: instances and conflicts (keys below) ==
    sync_title { en: "Sync", ar: "المزامنة" }
    sync_intro { en: "Exchange records with the network's server after working offline, and settle fields edited on two instances.", ar: "تبادل السجلات مع خادم الشبكة بعد العمل دون اتصال، وحسم الحقول التي عُدِّلت في نسختين." }
    sync_instance { en: "This instance:", ar: "هذه النسخة:" }
    sync_server { en: "Server:", ar: "الخادم:" }
    sync_no_server { en: "No server is set for this instance. Run sijill sync --server URL --token T --remember once to set one.", ar: "لم يُحدَّد خادم لهذه النسخة. شغّل sijill sync --server URL --token T --remember مرة واحدة لتحديده." }
    sync_now { en: "Sync now", ar: "زامن الآن" }
    sync_done { en: "Sync finished. Revisions exchanged:", ar: "اكتملت المزامنة. عدد المراجعات المتبادلة:" }
    sync_failed { en: "The sync did not finish (the connection failed or the server refused). Nothing was half-applied; try again.", ar: "لم تكتمل المزامنة (انقطع الاتصال أو رفض الخادم). لم يُطبَّق شيء جزئيًا؛ حاول مرة أخرى." }
    sync_resolved { en: "The conflict is resolved. The choice reaches the other instances at the next sync.", ar: "حُلّ التعارض. يصل الاختيار إلى النسخ الأخرى عند المزامنة التالية." }
    sync_conflicts { en: "Conflicts", ar: "التعارضات" }
    sync_conflicts_note { en: "The same field was changed on two instances. The record shows the marked value until you keep one.", ar: "عُدِّل الحقل نفسه في نسختين. يعرض السجل القيمة المعلَّمة حتى تختار إحداهما." }
    sync_conflicts_none { en: "No open conflicts.", ar: "لا توجد تعارضات مفتوحة." }
    sync_value { en: "Value", ar: "القيمة" }
    sync_clock { en: "Clock", ar: "الساعة" }
    sync_from { en: "From instance", ar: "من النسخة" }
    sync_keep { en: "Keep this value", ar: "احتفظ بهذه القيمة" }
    sync_shown { en: "shown now", ar: "المعروضة الآن" }
    sync_field_deleted { en: "deleted on one instance, edited on another", ar: "حُذف في نسخة وعُدِّل في أخرى" }
    sync_value_deleted { en: "deleted", ar: "محذوف" }
    sync_value_kept { en: "kept, with the edit", ar: "باقٍ مع التعديل" }
    sync_value_empty { en: "(empty)", ar: "(فارغ)" }
    sync_kind_distribution { en: "Distribution", ar: "توزيع" }
    sync_kind_household { en: "Household", ar: "أسرة" }
    sync_kind_incident { en: "Incident", ar: "حادثة" }
    sync_kind_incident_source { en: "Incident source", ar: "مصدر حادثة" }
    sync_kind_evidence { en: "Evidence", ar: "دليل" }
    sync_kind_custody { en: "Custody event", ar: "حدث في سلسلة الحيازة" }
    sync_kind_testimony { en: "Testimony", ar: "شهادة" }
    sync_kind_rescue_mission { en: "Rescue mission", ar: "مهمة إنقاذ" }
    sync_kind_displacement_report { en: "Displacement report", ar: "تقرير نزوح" }
    sync_kind_cash_transfer { en: "Cash transfer", ar: "تحويل نقدي" }
    sync_kind_volunteer { en: "Volunteer", ar: "متطوع" }
    sync_kind_dialogue { en: "Dialogue session", ar: "جلسة حوار" }
    sync_this_instance { en: "this instance", ar: "هذه النسخة" }
    sync_the_server { en: "the server", ar: "الخادم" }
    sync_household_size { en: "size", ar: "عدد الأفراد" }
    sync_last { en: "Last sync", ar: "آخر مزامنة" }
    sync_last_never { en: "No sync has run on this instance yet.", ar: "لم تجرِ أي مزامنة على هذه النسخة بعد." }
    sync_last_when { en: "When:", ar: "متى:" }
    sync_last_outcome { en: "Outcome:", ar: "النتيجة:" }
    sync_last_ok { en: "finished", ar: "اكتملت" }
    sync_last_failed { en: "did not finish:", ar: "لم تكتمل:" }
    sync_last_pushed { en: "Revisions sent:", ar: "المراجعات المُرسَلة:" }
    sync_last_pulled { en: "Revisions received:", ar: "المراجعات المُستلَمة:" }
    sync_last_conflicts { en: "Open conflicts after it:", ar: "التعارضات المفتوحة بعدها:" }
    sync_last_files { en: "Evidence files sent / received:", ar: "ملفات الأدلة المُرسَلة / المُستلَمة:" }
    // == sync: background runs and held-back records (helper S) ==
    sync_job_title { en: "Sync with the server", ar: "المزامنة مع الخادم" }
    sync_job_started { en: "Started:", ar: "بدأت:" }
    sync_job_by { en: "Started by:", ar: "بدأها:" }
    sync_job_status { en: "Status:", ar: "الحالة:" }
    sync_job_running { en: "running", ar: "جارية" }
    sync_job_ended { en: "ended", ar: "انتهت" }
    sync_job_so_far { en: "So far", ar: "حتى الآن" }
    sync_job_stage { en: "Step:", ar: "المرحلة:" }
    sync_job_stage_records { en: "sending and receiving records", ar: "إرسال السجلات واستلامها" }
    sync_job_stage_files { en: "moving evidence files", ar: "نقل ملفات الأدلة" }
    sync_job_bytes_sent { en: "Evidence sent (bytes):", ar: "الأدلة المُرسَلة (بايت):" }
    sync_job_bytes_received { en: "Evidence received (bytes):", ar: "الأدلة المُستلَمة (بايت):" }
    sync_job_refresh_note { en: "This page refreshes itself every two seconds until the sync ends. You may leave it: the sync goes on.", ar: "تتحدث هذه الصفحة كل ثانيتين حتى تنتهي المزامنة. يمكنك مغادرتها: تستمر المزامنة." }
    sync_job_outcome { en: "Outcome", ar: "النتيجة" }
    sync_job_held { en: "Records held back here:", ar: "السجلات المحتجزة هنا:" }
    sync_job_already { en: "A sync was already running on this instance; this is its progress.", ar: "كانت مزامنة جارية على هذه النسخة؛ هذا تقدّمها." }
    sync_job_see { en: "A sync is running: see its progress.", ar: "مزامنة جارية: اطّلع على تقدّمها." }
    sync_job_back { en: "Back to the sync page", ar: "العودة إلى صفحة المزامنة" }
    sync_held { en: "Held back", ar: "سجلات محتجزة" }
    sync_held_note { en: "These records arrived from another instance but are not stored here as they arrived. Their revisions are kept: a later change that can be stored brings them in.", ar: "وصلت هذه السجلات من نسخة أخرى لكنها لم تُخزَّن هنا كما وصلت. مراجعاتها محفوظة: أي تعديل لاحق يمكن تخزينه يُدخلها." }
    sync_held_none { en: "No record is held back.", ar: "لا توجد سجلات محتجزة." }
    sync_held_kind { en: "Kind", ar: "النوع" }
    sync_held_record { en: "Record", ar: "السجل" }
    sync_held_reason { en: "Reason", ar: "السبب" }
    sync_held_parent { en: "it belongs to a record that is not on this instance (deleted here):", ar: "يتبع سجلًا غير موجود في هذه النسخة (حُذف هنا):" }
    sync_held_referenced { en: "its deletion arrived, but other records here still refer to it, so it is kept", ar: "وصل حذفه، لكن سجلات أخرى هنا ما زالت تشير إليه، لذا أُبقي عليه" }
    sync_held_unstorable { en: "this instance could not store it", ar: "تعذّر على هذه النسخة تخزينه" }
    sync_by { en: "Made by", ar: "أجراه" }
    sync_by_unknown { en: "not recorded", ar: "غير مسجَّل" }
}

impl Strings {
    /// The name of a role.
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => self.role_admin,
            Role::Coordinator => self.role_coordinator,
            Role::Documenter => self.role_documenter,
            Role::Field => self.role_field,
            Role::Analyst => self.role_analyst,
            Role::Viewer => self.role_viewer,
        }
    }

    /// The name of a kind of organization.
    pub fn org_kind(&self, kind: OrgKind) -> &'static str {
        match kind {
            OrgKind::Relief => self.kind_relief,
            OrgKind::CivilDefence => self.kind_civil_defence,
            OrgKind::Monitor => self.kind_monitor,
            OrgKind::Media => self.kind_media,
            OrgKind::Un => self.kind_un,
            OrgKind::Government => self.kind_government,
            OrgKind::Other => self.kind_other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_arabic_letter(s: &str) -> bool {
        s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    }

    #[test]
    fn every_key_is_in_both_languages_and_translated() {
        let en = EN.entries();
        let ar = AR.entries();
        assert_eq!(en.len(), ar.len());
        // Strings that are the same in both languages on purpose.
        let same_by_design = ["none_value"];
        // Strings that name the other language, so they are in the other script.
        let other_script = ["other_lang_name"];
        for ((ek, ev), (ak, av)) in en.iter().zip(&ar) {
            assert_eq!(ek, ak);
            assert!(!ev.trim().is_empty(), "English text of {ek} is empty");
            assert!(!av.trim().is_empty(), "Arabic text of {ak} is empty");
            if same_by_design.contains(ek) {
                continue;
            }
            assert_ne!(ev, av, "{ek} is not translated");
            if other_script.contains(ek) {
                assert!(has_arabic_letter(ev) && !has_arabic_letter(av), "{ek}");
            } else {
                assert!(
                    has_arabic_letter(av),
                    "Arabic text of {ak} has no Arabic letter: {av}"
                );
                assert!(
                    !has_arabic_letter(ev),
                    "English text of {ek} has Arabic letters: {ev}"
                );
            }
        }
    }

    #[test]
    fn every_role_and_kind_has_a_name() {
        for lang in Lang::ALL {
            let t = lang.strings();
            for role in Role::ALL {
                assert!(!t.role(role).is_empty());
            }
        }
    }

    #[test]
    fn negotiation_order() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::negotiate(None, &h), Lang::En);
        h.insert(
            header::ACCEPT_LANGUAGE,
            "fr-FR, ar-SY;q=0.8, en;q=0.5".parse().unwrap(),
        );
        assert_eq!(Lang::negotiate(None, &h), Lang::Ar);
        h.insert(header::COOKIE, "a=b; sijill_lang=en".parse().unwrap());
        assert_eq!(Lang::negotiate(None, &h), Lang::En);
        assert_eq!(Lang::negotiate(Some("x=1&lang=ar"), &h), Lang::Ar);
        assert_eq!(Lang::negotiate(Some("lang=zz"), &h), Lang::En);
        assert_eq!(Lang::from_code("AR_sy"), Some(Lang::Ar));
        assert_eq!(Lang::from_code(""), None);
    }
}
