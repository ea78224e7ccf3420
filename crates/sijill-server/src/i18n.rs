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
    rc_run_help { en: "Links every list of your organization into persons. Your review decisions are used.", ar: "يربط كل قوائم منظمتك في أشخاص، مع استخدام قرارات المراجعة." }
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

    // == respond: campaigns, distributions, households, cash, volunteers, dialogue, 4W (keys below) ==

    // == protect: permissions, encryption, audit, backups (keys below) ==

    // == sync: instances and conflicts (keys below) ==
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
