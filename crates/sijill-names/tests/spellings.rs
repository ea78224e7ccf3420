//! Real spelling pairs of Syrian names, checked in both directions: pairs that are one
//! name must have compatible keys, pairs that are different names must not.

use sijill_names::{Similarity, name_tokens, similarity, split_full_name};

/// (spelling, spelling) of one name, as lists write them.
const SAME: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("محمد", "Muhammad"),
    ("محمد", "Mohamed"),
    ("محمد", "Mohammed"),
    ("محمد", "Mhd"),
    ("Mohammad", "Mhd"),
    ("Mohammad", "Mohamad"),
    ("مُحَمَّد", "محمد"),
    ("أحمد", "احمد"),
    ("أحمد", "Ahmed"),
    ("محمود", "Mahmoud"),
    ("Mahmoud", "Mahmud"),
    ("عبد الرحمن", "Abd al-Rahman"),
    ("عبد الرحمن", "Abdulrahman"),
    ("عبدالرحمن", "Abdel Rahman"),
    ("Abd al-Rahman", "Abdurrahman"),
    ("Abd ar-Rahman", "Abdulrahman"),
    ("عبد الله", "Abdallah"),
    ("Abdullah", "Abd Allah"),
    ("عبد القادر", "Abdelkader"),
    ("Abdulkader", "Abd al-Qader"),
    ("الحسن", "al-Hasan"),
    ("al-Hasan", "Alhassan"),
    ("Al Hassan", "Hasan"),
    ("حسين", "Hussein"),
    ("Hussein", "Husain"),
    ("Hussain", "حسين"),
    ("يوسف", "Yousef"),
    ("Yousef", "Yusuf"),
    ("Youssef", "يوسف"),
    ("خالد", "Khaled"),
    ("Khaled", "Khalid"),
    ("علي", "Ali"),
    ("Ali", "Aly"),
    ("عمر", "Omar"),
    ("Omar", "Umar"),
    ("مصطفى", "Mustafa"),
    ("Mustafa", "Moustafa"),
    ("إبراهيم", "Ibrahim"),
    ("Ibrahim", "Ebrahim"),
    ("فاطمة", "Fatima"),
    ("فاطمه", "Fatmeh"),
    ("Fatima", "Fatimah"),
    ("خديجة", "Khadija"),
    ("زينب", "Zeinab"),
    ("Zainab", "Zeinab"),
    ("سعيد", "Saeed"),
    ("Saeed", "Said"),
    ("عيسى", "Issa"),
    ("عيسى", "عيسي"),
    ("نور الدين", "Nureddin"),
    ("Nour al-Din", "Nour Eddine"),
    ("قاسم", "Qasem"),
    ("Qasem", "Kassem"),
    ("شادي", "Shadi"),
    ("Shadi", "Chadi"),
    ("طارق", "Tareq"),
    ("Tareq", "Tarek"),
    ("سليمان", "Suleiman"),
    ("Sulaiman", "Sleiman"),
    ("هشام", "Hisham"),
    ("Hisham", "Hesham"),
    ("حمزة", "Hamza"),
    ("Hamza", "Hamzeh"),
    ("وائل", "Wael"),
    ("Wael", "Wa'el"),
    ("علاء", "Alaa"),
    ("Alaa", "Ala'a"),
    ("ياسر", "Yasser"),
    ("أسامة", "Osama"),
    ("Osama", "Usama"),
    ("جعفر", "Jaafar"),
    ("الخطيب", "Al-Khatib"),
    ("الحداد", "al-Haddad"),
    ("Haddad", "حداد"),
    ("النجار", "Najjar"),
];

/// (spelling, spelling) of different names that a careless fold would merge.
const DIFFERENT: &[(&str, &str)] = &[
    ("محمد", "محمود"),
    ("Mohammad", "Mahmoud"),
    ("محمد", "Mahmoud"),
    ("Mohammad", "محمود"),
    ("أحمد", "حمد"),
    ("Ahmad", "Hamad"),
    ("حسن", "حسين"),
    ("Hasan", "Hussein"),
    ("حسن", "Hussein"),
    ("علي", "عمر"),
    ("سامي", "سالم"),
    ("Sami", "Samer"),
    ("Rami", "Rana"),
    ("خالد", "Khalil"),
    ("عبد الله", "عبد الرحمن"),
    ("Abdallah", "Abdulrahman"),
    ("فاطمة", "فاتن"),
    ("Nour", "Nizar"),
];

fn one(s: &str) -> sijill_names::NameToken {
    let t = name_tokens(s);
    assert_eq!(t.len(), 1, "{s} gave {t:?}");
    t.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn same_names_meet_both_ways() {
    let mut failures = Vec::new();
    for &(a, b) in SAME {
        for (x, y) in [(a, b), (b, a)] {
            let (tx, ty) = (one(x), one(y));
            if !tx.key.compatible(&ty.key) || similarity(&tx, &ty) > Similarity::Key {
                failures.push(format!("{x} {:?} / {y} {:?}", tx.key, ty.key));
            }
        }
    }
    assert!(failures.is_empty(), "not met:\n{}", failures.join("\n"));
}

#[test]
fn different_names_stay_apart_both_ways() {
    let mut failures = Vec::new();
    for &(a, b) in DIFFERENT {
        for (x, y) in [(a, b), (b, a)] {
            let (tx, ty) = (one(x), one(y));
            if tx.key.compatible(&ty.key) || similarity(&tx, &ty) <= Similarity::Key {
                failures.push(format!("{x} {:?} / {y} {:?}", tx.key, ty.key));
            }
        }
    }
    assert!(failures.is_empty(), "merged:\n{}", failures.join("\n"));
}

#[test]
fn full_names_split_alike_across_scripts() {
    let a = split_full_name("محمد بن علي بن حسن الخطيب");
    let b = split_full_name("Mohammad Ali Hasan Al-Khatib");
    for (x, y) in [
        (&a.given, &b.given),
        (&a.father, &b.father),
        (&a.grandfather, &b.grandfather),
        (&a.family, &b.family),
    ] {
        let (x, y) = (x.as_ref().map(|t| &t.key), y.as_ref().map(|t| &t.key));
        assert!(
            x.zip(y).is_some_and(|(x, y)| x.compatible(y)),
            "{x:?} / {y:?}"
        );
    }
}
