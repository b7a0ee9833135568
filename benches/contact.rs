//! leadkit-contact benchmarks: extraction throughput on ordinary chat text and
//! on text dense with contact details, single validations, and how phone
//! validation and dense extraction scale from one thread to two.
//!
//! ```text
//! cargo bench -p leadkit-workspace --bench contact -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadkit_contact::{
    EmailOptions, ExtractOptions, PhoneOptions, extract, validate_email, validate_phone,
};

/// Chat lines a visitor might type that carry no contact details (a few
/// numbers, cue words and an "at" here and there, as in real chats).
const ORDINARY: &[&str] = &[
    "Hi there! I'm interested in your premium plan for our team of 12 people.",
    "Could you tell me what the price is per month and whether there is a free trial?",
    "We're a small bakery in the city centre and we open at 7 every morning.",
    "I'm not sure which option fits best, can you explain the difference?",
    "Hola, estoy buscando información sobre los cursos de verano para niños.",
    "¿Cuánto cuesta la inscripción y qué incluye exactamente el precio?",
    "Guten Tag, ich interessiere mich für Ihr Angebot und hätte ein paar Fragen.",
    "Wie lange dauert die Lieferung nach Österreich und was kostet der Versand?",
    "Bonjour, je voudrais savoir si vous livrez aussi le samedi matin.",
    "Je suis intéressé par la formule annuelle, est-ce possible de payer en trois fois ?",
    "Olá, gostaria de saber mais sobre o plano empresarial e os prazos de entrega.",
    "Thanks a lot, that answers my question. Have a great day!",
    "Our last order arrived two days late, is there anything you can do about that?",
    "I'm looking for a solution that works with our current booking software.",
];

/// Lines dense with emails, phone numbers and names.
const DENSE: &[&str] = &[
    "Hi, I'm John Smith, email john.smith@example.com, phone +1 201-555-0123 ext 22.",
    "My name is Ana Souza, reach me at ana dot souza at gmail dot com or +44 (0)20 7946 0958",
    "Me llamo Lucía Pérez, mi móvil es +34 612 34 56 78 y mi correo <lucia@empresa.es>",
    "Ich heiße Jürgen Müller, Telefon +49 30 123456, Mail juergen.mueller@web.de",
    "Je m'appelle Marie Dubois, mon portable +33 6 12 34 56 78, marie.dubois@orange.fr",
    "Meu nome é João Silva, celular +55 11 96123-4567, e-mail joao.silva@uol.com.br",
];

/// Dense lines written after the extractor's rules were settled and never
/// tuned against: national numbers (read with the caller's region GB or
/// from hints), other names, domains and phrasings.
const DENSE_HELDOUT: &[&str] = &[
    "Hello, this is Karen Miller, my cell is (415) 555-0199 and my mail karen.miller@outlook.com",
    "Soy Diego Ramos, llámame al 699 12 34 56 o escribe a diego.ramos@gmail.com",
    "Mein Name ist Lena Vogel, Handy 0171 2345678, E-Mail lena.vogel@gmx.de",
    "Bonjour, je m'appelle Hugo Martin, 07 81 23 45 67, hugo.martin@free.fr",
    "Oi, me chamo Beatriz Costa, whats (21) 98765-4321, bia.costa@hotmail.com",
    "Name: Priya Shah, Tel: 020 7123 4567, priya.shah@company.co.uk",
];

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat`
/// (`None` elsewhere): unlike wall time it does not grow when other
/// processes share the cores, so throughput over it is per core.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn corpus(lines: &[&str], bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    while text.len() < bytes {
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn extraction(c: &mut Criterion) {
    let options = ExtractOptions::default().with_max_len(usize::MAX);
    let mut group = c.benchmark_group("extract");
    for (name, lines) in [("ordinary_chat", ORDINARY), ("dense_contacts", DENSE)] {
        let text = corpus(lines, 64 * 1024);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| extract(black_box(&text), &options)));
    }
    // One ordinary chat message, the common case in a chatbot.
    let message = ORDINARY[0];
    group.throughput(Throughput::Bytes(message.len() as u64));
    group.bench_function("one_message", |b| {
        b.iter(|| extract(black_box(message), &options))
    });
    group.finish();
}

/// Phone numbers of several countries, national forms with their region:
/// the parser works through a different part of the metadata for each.
const PHONES: &[(&str, &str)] = &[
    ("+44 (0)20 7946 0958", "GB"),
    ("(201) 555-0123", "US"),
    ("06 12 34 56 78", "FR"),
    ("0151 23456789", "DE"),
    ("612 34 56 78", "ES"),
    ("(11) 96123-4567", "BR"),
    ("912 345 678", "PT"),
    ("+52 222 123 4567", "MX"),
    ("07400 123456", "GB"),
    ("030 123456", "DE"),
];

/// Runs `work(iteration)` `iters` times on each of `threads` threads at
/// once and returns the wall time.
fn on_threads(threads: usize, iters: u64, work: impl Fn(u64) + Sync) -> Duration {
    let start = Instant::now();
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for i in 0..iters {
                    work(i);
                }
            });
        }
    });
    start.elapsed()
}

fn validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    let email_options = EmailOptions::default();
    group.bench_function("email", |b| {
        b.iter(|| validate_email(black_box("Ana.Souza@Example.com"), &email_options))
    });
    group.bench_function("email_idn", |b| {
        b.iter(|| validate_email(black_box("jeff@臺網中心.tw"), &email_options))
    });
    let phone_options = PhoneOptions::new().with_default_region("GB");
    group.bench_function("phone", |b| {
        b.iter(|| validate_phone(black_box("+44 (0)20 7946 0958"), &phone_options))
    });
    // The same mix of numbers on one and on two threads: each iteration is
    // one validation on each thread, and the throughput is the total, so
    // the two figures show how validation scales with threads.
    let options: Vec<(&str, PhoneOptions)> = PHONES
        .iter()
        .map(|&(number, region)| (number, PhoneOptions::new().with_default_region(region)))
        .collect();
    for threads in [1, 2] {
        group.throughput(Throughput::Elements(threads as u64));
        group.bench_function(format!("phone_mix_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                on_threads(threads, iters, |i| {
                    let (number, options) = &options[i as usize % options.len()];
                    let _ = black_box(validate_phone(black_box(number), options));
                })
            })
        });
    }
    group.finish();
}

/// Dense extraction on one and on two threads (each thread extracts the
/// whole text once per iteration; the throughput is the total).
fn extraction_threads(c: &mut Criterion) {
    let options = ExtractOptions::default().with_max_len(usize::MAX);
    let text = corpus(DENSE, 64 * 1024);
    let mut group = c.benchmark_group("extract_threads");
    for threads in [1, 2] {
        group.throughput(Throughput::Bytes((threads * text.len()) as u64));
        group.bench_function(format!("dense_contacts_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                on_threads(threads, iters, |_| {
                    black_box(extract(black_box(&text), &options));
                })
            })
        });
    }
    group.finish();
}

/// Dense extraction measured in this thread's CPU time: MB per second of
/// one core, whatever else runs on the machine.
fn extraction_cpu(c: &mut Criterion) {
    if thread_cpu_time().is_none() {
        return;
    }
    let mut group = c.benchmark_group("extract_cpu");
    let plain = ExtractOptions::default().with_max_len(usize::MAX);
    let gb = plain.clone().with_default_region("GB");
    for (name, lines, options) in [
        ("dense_contacts", DENSE, &plain),
        ("dense_heldout", DENSE_HELDOUT, &plain),
        ("dense_heldout_region_gb", DENSE_HELDOUT, &gb),
    ] {
        let text = corpus(lines, 64 * 1024);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let start = thread_cpu_time().unwrap_or_default();
                for _ in 0..iters {
                    black_box(extract(black_box(&text), options));
                }
                thread_cpu_time().unwrap_or_default().saturating_sub(start)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = extraction, validation, extraction_threads, extraction_cpu
}
criterion_main!(benches);
