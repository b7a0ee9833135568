//! leadkit-contact benchmarks: extraction throughput on ordinary chat text and
//! on text dense with contact details, single validations, and phone
//! validation from two threads (the `phonenumber` parser takes a global lock).
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
    // Two threads validating at once: each iteration is one validation on
    // each thread, so the time per iteration shows how much the parser's
    // global lock serialises them.
    group.throughput(Throughput::Elements(2));
    group.bench_function("phone_2_threads", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            thread::scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|| {
                        for _ in 0..iters {
                            let _ = black_box(validate_phone(
                                black_box("+44 (0)20 7946 0958"),
                                &phone_options,
                            ));
                        }
                    });
                }
            });
            start.elapsed()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = extraction, validation
}
criterion_main!(benches);
