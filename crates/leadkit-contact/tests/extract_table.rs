//! Extraction over realistic chat lines in English, Spanish, German, French
//! and Portuguese: each line with exactly what must be found.
//!
//! Expected items are `(kind, value)`: `e`/`p`/`n` for a valid email, phone
//! or name with its normalised value, `E`/`P`/`N` for an invalid one with
//! the text as typed. Every span is checked against the text: it must hold
//! exactly what was typed for its value (`span_problem`); the exact byte
//! offsets of phone numbers are checked in `tests/phone_mentions.rs`.

use leadkit_contact::{ContactKind, ExtractOptions, Found, extract};

type Case = (&'static str, &'static str, &'static [(char, &'static str)]);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // English (default region US)
    ("US", "Hi, my name is John Smith", &[('n', "John Smith")]),
    ("US", "my name is john smith and my email is john.smith@gmail.com", &[('n', "john smith"), ('e', "john.smith@gmail.com")]),
    ("US", "I'm Sarah, you can reach me at sarah.connor@example.com", &[('n', "Sarah"), ('e', "sarah.connor@example.com")]),
    ("US", "I'm interested in your pricing", &[]),
    ("US", "I'm looking for a quote for 3 rooms", &[]),
    ("US", "I'm not sure yet", &[]),
    ("US", "This is Mike from Acme, call me at (201) 555-0123", &[('n', "Mike"), ('p', "+12015550123")]),
    ("US", "this is great, thanks!", &[]),
    ("US", "reach me at john dot smith at gmail dot com", &[('e', "john.smith@gmail.com")]),
    ("US", "my number is +44 (0)20 7946 0958", &[('p', "+442079460958")]),
    ("US", "call 555.123.4567 ext 22", &[('P', "555.123.4567 ext 22")]),
    ("US", "office: 201.555.0123 ext 22", &[('p', "+12015550123;ext=22")]),
    ("US", "Email: <jane.doe@example.org>", &[('e', "jane.doe@example.org")]),
    ("US", "mailto:support@acme.io", &[('e', "support@acme.io")]),
    ("US", "Send it to bob@example.com.", &[('e', "bob@example.com")]),
    ("US", "My order #12345678 hasn't arrived", &[]),
    ("US", "Order 87654321 was delivered", &[]),
    ("US", "ticket 4829301 is still open", &[]),
    ("US", "My card is 4111 1111 1111 1111", &[]),
    ("US", "4111111111111111 is a test card", &[]),
    ("US", "IBAN DE89 3704 0044 0532 0130 00", &[]),
    ("US", "Meeting on 2024-05-01 at 10:30", &[]),
    ("US", "Due 12/05/2024", &[]),
    ("US", "It costs $1,299.99", &[]),
    ("US", "Price: 2500000 USD", &[]),
    ("US", "Our server is 192.168.100.200", &[]),
    ("US", "Upgrade to version 10.4.12.1045", &[]),
    ("US", "SSN 123-45-6789", &[]),
    ("US", "my ssn is 123-45-6789", &[]),
    ("US", "ZIP 94105-1234", &[]),
    ("US", "I am Robert Downey", &[('n', "Robert Downey")]),
    ("US", "I'm Dr. Ana Lima", &[('n', "Ana Lima")]),
    ("US", "Name: Peter Parker", &[('n', "Peter Parker")]),
    ("US", "name: mary jane", &[('n', "mary jane")]),
    ("US", "My name is test", &[('N', "test")]),
    ("US", "my name is asdf", &[('N', "asdf")]),
    ("US", "You can call me Liz", &[('n', "Liz")]),
    ("US", "text me on +1 800-234-5678", &[('p', "+18002345678")]),
    ("US", "my cell is 201-555-0123", &[('p', "+12015550123")]),
    ("US", "Contact: jane@gmail", &[('E', "jane@gmail")]),
    ("US", "email me at ann@gmial.com", &[('e', "ann@gmial.com")]),
    ("US", "I'm at the office until 5", &[]),
    ("US", "look at google dot com", &[]),
    ("US", "I'm John Smith from Acme Corp, my email is john@acme.com and phone +1 201 555 0123", &[('n', "John Smith"), ('e', "john@acme.com"), ('p', "+12015550123")]),
    ("US", "I'm Interested in the premium plan", &[]),
    ("US", "I'm The owner", &[]),
    ("US", "Hi I'm Jennifer!", &[('n', "Jennifer")]),
    ("US", "i'm jennifer", &[]),
    ("US", "This is Acme Support", &[]),
    ("US", "I am happy with the service", &[]),
    ("US", "I'm Spanish", &[]),
    ("US", "I'm from Boston", &[]),
    ("US", "Hey, it's me, Tom", &[]),
    ("US", "Tracking number 1Z999AA10123456784", &[]),
    ("US", "Room 1204, floor 3", &[]),
    ("US", "we have 1500000 users", &[]),
    ("US", "Call me: +1 (800) 234-5678", &[('p', "+18002345678")]),
    ("US", "Phone: 201 555 0123, email: k.lee@company.co.uk", &[('p', "+12015550123"), ('e', "k.lee@company.co.uk")]),
    ("US", "My WhatsApp is +34 612 34 56 78", &[('p', "+34612345678")]),
    ("US", "the meeting is at 10.30.45", &[]),
    ("US", "v2.3.14 is out", &[]),
    ("US", "Reach me at john.doe@example.com or jdoe@work.org", &[('e', "john.doe@example.com"), ('e', "jdoe@work.org")]),
    ("US", "Email me: \"anna.k@example.com\"", &[('e', "anna.k@example.com")]),
    ("US", "(mark@example.com)", &[('e', "mark@example.com")]),
    ("US", "contact: mary(at)example(dot)com", &[('e', "mary@example.com")]),
    ("US", "ann[at]example[dot]org", &[('e', "ann@example.org")]),
    ("US", "It's 3:45pm now", &[]),
    ("US", "my IP is 10.0.0.1", &[]),
    ("US", "Flight 123456789", &[]),
    ("US", "Our postcode is SW1A 1AA", &[]),
    ("US", "I'm 34 years old", &[]),
    ("US", "I'm Ready to buy", &[]),
    ("US", "I am Looking for help", &[]),
    ("US", "Thanks, Jake", &[]),
    ("US", "this is Jake from State Farm", &[('n', "Jake")]),
    ("US", "I'm Mary-Jane O'Connor", &[('n', "Mary-Jane O'Connor")]),
    ("US", "my name is José Álvarez", &[('n', "José Álvarez")]),
    ("US", "my name is Bond. James Bond.", &[('n', "Bond")]),
    ("US", "I'm john@example.com", &[('e', "john@example.com")]),
    ("US", "Email: JOHN.SMITH@EXAMPLE.COM", &[('e', "JOHN.SMITH@example.com")]),
    ("US", "john.smith@example.com, +1 201-555-0123", &[('e', "john.smith@example.com"), ('p', "+12015550123")]),
    ("US", "Order #A12345678 and call 2015550123", &[('p', "+12015550123")]),
    ("US", "My number: 2015550123.", &[('p', "+12015550123")]),
    ("US", "no contact details here, just asking about prices", &[]),
    ("US", "what are your opening hours?", &[]),
    ("US", "It's 2025 and we need 3 licenses for 25 users", &[]),
    ("US", "Call me maybe", &[]),
    ("US", "my name is not important", &[]),
    ("US", "my name is on the list", &[]),
    ("US", "I'm 100% sure", &[]),
    ("US", "Ticket #4829301: phone broken", &[]),
    ("US", "Serial number 12345678901", &[]),
    ("US", "The total is 12345678", &[]),
    ("US", "I'm Nguyen", &[('n', "Nguyen")]),
    ("US", "I'm Zoë", &[('n', "Zoë")]),
    ("US", "Call +1 201 555 0123 or email zoe@example.com", &[('p', "+12015550123"), ('e', "zoe@example.com")]),
    ("US", "wrong number +1 555 0000", &[('P', "+1 555 0000")]),
    ("US", "my email is zoe@example", &[('E', "zoe@example")]),
    ("US", "ping @team or ann@devbox about it", &[]),
    ("ES", "mi correo es ana@empresa", &[('E', "ana@empresa")]),
    ("US", "email: me@localhost", &[('E', "me@localhost")]),
    ("US", "email: user@test.test", &[('E', "user@test.test")]),
    ("US", "i am Bob", &[('n', "Bob")]),
    ("US", "Contact me at hello@例え.jp", &[('e', "hello@例え.jp")]),
    ("US", "see https://example.com/page?id=12345678", &[]),
    ("US", "https://shop.example.com/order/98765432", &[]),
    ("US", "call me at 2015550123 or 2015550124", &[('p', "+12015550123"), ('p', "+12015550124")]),
    ("US", "see https://example.com/profile/2015550123 for details", &[]),
    ("US", "tel:+12015550123", &[('p', "+12015550123")]),
    ("US", "(call 201-555-0123)", &[('p', "+12015550123")]),
    ("US", "Call 201.555.0123.", &[('p', "+12015550123")]),
    ("US", "born 1990 2000 2010 2020", &[]),
    ("US", "call 201-555-0123 / 201-555-0124", &[('p', "+12015550123"), ('p', "+12015550124")]),
    ("US", "This is Urgent, please call back", &[]),
    ("US", "I'm Anna Please call me back", &[('n', "Anna")]),
    ("US", "open 9.00-17.30 every day", &[]),
    ("US", "my Amex is 3782 822463 10005", &[]),
    ("US", "ISBN 978-3-16-148410-0", &[]),
    ("US", "I'm Sam and my wife is Alex", &[('n', "Sam")]),
    ("US", "my name's Kate Winslet", &[('n', "Kate Winslet")]),
    ("US", "I'm calling about my invoice 12345678", &[]),
    ("US", "This is Dr. Patel, call 201-555-0123 x45", &[('n', "Patel"), ('p', "+12015550123;ext=45")]),
    ("US", "the code is 4242 4242 4242 4242", &[]),
    ("US", "my email: lisa.m+leads@gmail.com!", &[('e', "lisa.m+leads@gmail.com")]),
    ("US", "Meet me at 5th Avenue", &[]),
    ("US", "I'm fine thanks", &[]),
    ("US", "IMEI 356938035643809", &[]),
    ("US", "call me on 201 555 0123 tomorrow", &[('p', "+12015550123")]),
    ("US", "order no. 55512345", &[]),
    ("US", "the address is 1600 Pennsylvania Ave", &[]),
    ("US", "we got 25,000,000 views", &[]),
    ("US", "Booking reference 48392017", &[]),
    ("US", "Hi, I am Priya Sharma from Infosys", &[('n', "Priya Sharma")]),
    // English (default region GB)
    ("GB", "Ring me on 020 7946 0958 after 6", &[('p', "+442079460958")]),
    ("GB", "mobile 07400 123456", &[('p', "+447400123456")]),
    ("GB", "I'm Oliver, call 0121 234 5678", &[('n', "Oliver"), ('p', "+441212345678")]),
    ("GB", "My postcode is EC1A 1BB", &[]),
    ("GB", "£1500000 budget", &[]),
    ("GB", "Ref 12345678", &[]),
    ("GB", "I'm Harriet, harriet.jones@btinternet.com", &[('n', "Harriet"), ('e', "harriet.jones@btinternet.com")]),
    ("GB", "+44 7400 123456 is my mobile", &[('p', "+447400123456")]),
    // Spanish (ES)
    ("ES", "Hola, me llamo Carlos García", &[('n', "Carlos García")]),
    ("ES", "mi nombre es Lucía Fernández y mi correo es lucia.fernandez@gmail.com", &[('n', "Lucía Fernández"), ('e', "lucia.fernandez@gmail.com")]),
    ("ES", "Soy María, mi teléfono es 612 34 56 78", &[('n', "María"), ('p', "+34612345678")]),
    ("ES", "soy de Madrid", &[]),
    ("ES", "estoy interesado en el plan", &[]),
    ("ES", "Soy el dueño del restaurante", &[]),
    ("ES", "escríbeme a juan arroba gmail punto com", &[('e', "juan@gmail.com")]),
    ("ES", "Mi móvil: +34 612 345 678", &[('p', "+34612345678")]),
    ("ES", "El pedido 12345678 no llegó", &[]),
    ("ES", "Pedido #98765432", &[]),
    ("ES", "la factura 20240501 vence", &[]),
    ("ES", "Me llamo Juan de la Cruz", &[('n', "Juan de la Cruz")]),
    ("ES", "soy Pedro", &[('n', "Pedro")]),
    ("ES", "Soy Ana López, de Sevilla", &[('n', "Ana López")]),
    ("ES", "Mi DNI es 12345678Z", &[]),
    ("ES", "cuesta 1.299,99 €", &[]),
    ("ES", "llámame al 910 123 456", &[('p', "+34910123456")]),
    ("ES", "me llamo test", &[('N', "test")]),
    ("ES", "Mi correo: <ana.perez@empresa.es>", &[('e', "ana.perez@empresa.es")]),
    ("ES", "Soy cliente desde 2019", &[]),
    ("ES", "Me llamo Sofía y mi número es +34 612 34 56 78", &[('n', "Sofía"), ('p', "+34612345678")]),
    ("ES", "Nos vemos el 15/08/2024", &[]),
    ("ES", "la cita es el 01-02-2025 a las 10:00", &[]),
    ("ES", "IBAN ES91 2100 0418 4502 0005 1332", &[]),
    ("ES", "Soy Muy feliz", &[]),
    ("ES", "aquí habla Roberto Gómez", &[('n', "Roberto Gómez")]),
    ("ES", "hola soy Marta", &[('n', "Marta")]),
    ("ES", "Soy de Buenos Aires", &[]),
    ("ES", "me llamo Ana y soy de Valencia", &[('n', "Ana")]),
    ("ES", "mi email es ana@gmail.con", &[('e', "ana@gmail.con")]),
    ("ES", "Soy interesada en el curso", &[]),
    ("ES", "el total son 1500000 euros", &[]),
    ("ES", "mi teléfono: 612-345-678", &[('p', "+34612345678")]),
    ("ES", "Soy estudiante", &[]),
    ("ES", "Mi nombre es Pablo y mi whatsapp +34 612 34 56 78", &[('n', "Pablo"), ('p', "+34612345678")]),
    // German (DE)
    ("DE", "Hallo, ich heiße Jürgen Müller", &[('n', "Jürgen Müller")]),
    ("DE", "Mein Name ist Anna Schmidt", &[('n', "Anna Schmidt")]),
    ("DE", "Ich bin Kunde bei euch", &[]),
    ("DE", "ich bin interessiert an dem Angebot", &[]),
    ("DE", "Ich bin Thomas, erreichbar unter 030 123456", &[('n', "Thomas"), ('p', "+4930123456")]),
    ("DE", "Meine Handynummer: 01512 3456789", &[('p', "+4915123456789")]),
    ("DE", "Bestellnummer 12345678", &[]),
    ("DE", "Rechnung Nr. 87654321", &[]),
    ("DE", "Termin am 01.02.2025 um 10:00", &[]),
    ("DE", "Ich bin Student", &[]),
    ("DE", "ich bin neu hier", &[]),
    ("DE", "Ich bin Herr Weber", &[('n', "Weber")]),
    ("DE", "Ich bin Frau Dr. Klein", &[('n', "Klein")]),
    ("DE", "Hier ist Lena Vogel", &[('n', "Lena Vogel")]),
    ("DE", "E-Mail: lena.vogel@web.de", &[('e', "lena.vogel@web.de")]),
    ("DE", "Schreib mir an max punkt mustermann at gmx punkt de", &[('e', "max.mustermann@gmx.de")]),
    ("DE", "Kosten: 1.500.000 €", &[]),
    ("DE", "IBAN: DE89 3704 0044 0532 0130 00", &[]),
    ("DE", "Telefon +49 30 123456", &[('p', "+4930123456")]),
    ("DE", "PLZ 10115 Berlin", &[]),
    ("DE", "Ich bin am Montag da", &[]),
    ("DE", "ich heiße test", &[('N', "test")]),
    ("DE", "Ich bin Deutscher", &[]),
    ("DE", "Version 2.4.1 ist installiert", &[]),
    ("DE", "Steuer-ID 12345678901", &[]),
    ("DE", "Ich bin gerade unterwegs, ruf mich an: 0151 23456789", &[('p', "+4915123456789")]),
    ("DE", "Ich heiße Karl-Heinz und bin Rentner", &[('n', "Karl-Heinz")]),
    ("DE", "Kundennummer: 12345678", &[]),
    ("DE", "ich bin Sabine, meine Mail ist sabine.k@gmx.de", &[('n', "Sabine"), ('e', "sabine.k@gmx.de")]),
    ("DE", "Der Preis liegt bei 2.499.000 Euro", &[]),
    ("DE", "Lieferung am 20240501 geplant", &[]),
    ("DE", "Tel. 030/123456", &[('p', "+4930123456")]),
    ("DE", "Sprechzeiten 10.30 - 11.45 Uhr", &[]),
    // French (FR)
    ("FR", "Bonjour, je m'appelle Marie Dubois", &[('n', "Marie Dubois")]),
    ("FR", "Je m’appelle Jean-Luc Picard", &[('n', "Jean-Luc Picard")]),
    ("FR", "Mon nom est Claire Martin", &[('n', "Claire Martin")]),
    ("FR", "je suis intéressé par votre offre", &[]),
    ("FR", "Je suis Pierre, mon portable est le 06 12 34 56 78", &[('n', "Pierre"), ('p', "+33612345678")]),
    ("FR", "je suis le directeur", &[]),
    ("FR", "Je suis Français", &[]),
    ("FR", "écrivez-moi : paul.durand@orange.fr", &[('e', "paul.durand@orange.fr")]),
    ("FR", "Mon numéro : +33 1 23 45 67 89", &[('p', "+33123456789")]),
    ("FR", "Commande n° 12345678", &[]),
    ("FR", "Facture 20240501", &[]),
    ("FR", "rendez-vous le 12/03/2025 à 14h30", &[]),
    ("FR", "Je suis désolé", &[]),
    ("FR", "Moi c'est Camille", &[('n', "Camille")]),
    ("FR", "je suis Chloé", &[('n', "Chloé")]),
    ("FR", "Je suis à Paris", &[]),
    ("FR", "mon nom est asdf", &[('N', "asdf")]),
    ("FR", "06.12.34.56.78", &[('p', "+33612345678")]),
    ("FR", "Prix : 1 299,99 €", &[]),
    ("FR", "Code postal 75001", &[]),
    ("FR", "mon email: claire@exemple.fr.", &[('e', "claire@exemple.fr")]),
    ("FR", "Je suis M. Bernard", &[('n', "Bernard")]),
    ("FR", "Je suis Madame Leroy", &[('n', "Leroy")]),
    ("FR", "je suis intéressée, appelez-moi au 01 23 45 67 89", &[('p', "+33123456789")]),
    ("FR", "Je suis cliente chez vous", &[]),
    ("FR", "Je m'appelle Élodie et mon mail est elodie@free.fr", &[('n', "Élodie"), ('e', "elodie@free.fr")]),
    ("FR", "Mon IBAN est FR76 3000 6000 0112 3456 7890 189", &[]),
    ("FR", "numéro de commande 12345678", &[]),
    // Portuguese (BR)
    ("BR", "Olá, meu nome é João Silva", &[('n', "João Silva")]),
    ("BR", "Me chamo Ana Souza", &[('n', "Ana Souza")]),
    ("BR", "sou o Pedro", &[('n', "Pedro")]),
    ("BR", "Sou a Mariana, meu celular é (11) 96123-4567", &[('n', "Mariana"), ('p', "+5511961234567")]),
    ("BR", "sou de Lisboa", &[]),
    ("BR", "sou cliente de vocês", &[]),
    ("BR", "Estou interessado no plano", &[]),
    ("BR", "Meu e-mail é joao.silva@uol.com.br", &[('e', "joao.silva@uol.com.br")]),
    ("BR", "Meu CPF é 123.456.789-09", &[]),
    ("BR", "CEP 01310-100", &[]),
    ("BR", "pedido 12345678 atrasado", &[]),
    ("BR", "O valor é R$ 1.500,00", &[]),
    ("BR", "me liga no (11) 2345-6789", &[('p', "+551123456789")]),
    ("BR", "joao arroba gmail ponto com", &[('e', "joao@gmail.com")]),
    ("BR", "Aqui é o Carlos", &[('n', "Carlos")]),
    ("BR", "meu nome é teste", &[('N', "teste")]),
    ("BR", "Sou Brasileiro", &[]),
    ("BR", "sou Ana Beatriz", &[('n', "Ana Beatriz")]),
    ("BR", "nasci em 15/08/1990", &[]),
    ("BR", "Sou interessada no curso, meu zap é +55 11 96123-4567", &[('p', "+5511961234567")]),
    ("BR", "Meu nome é Luíza e meu email é luiza@gmail.com", &[('n', "Luíza"), ('e', "luiza@gmail.com")]),
    // Portuguese (PT)
    ("PT", "ligue 912 345 678", &[('p', "+351912345678")]),
    ("PT", "Sou o Rui, email rui@sapo.pt", &[('n', "Rui"), ('e', "rui@sapo.pt")]),
    ("PT", "código postal 1000-001 Lisboa", &[]),
    ("PT", "O meu NIF é 123456789", &[]),
    ("PT", "Chamo-me Inês, o meu telemóvel é 912 345 678", &[('n', "Inês"), ('p', "+351912345678")]),
    ("US", "This is Acme", &[]),
    ("US", "Here is Acme Support", &[]),
    ("US", "Here is Dana from Acme", &[('n', "Dana")]),
    ("DE", "Hier ist die Firma Müller", &[]),
];

fn kind_of(c: char) -> (ContactKind, bool) {
    match c {
        'e' => (ContactKind::Email, true),
        'E' => (ContactKind::Email, false),
        'p' => (ContactKind::Phone, true),
        'P' => (ContactKind::Phone, false),
        'n' => (ContactKind::Name, true),
        'N' => (ContactKind::Name, false),
        other => panic!("unknown kind letter {other}"),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// What is wrong with the bytes `found` claims, if anything: a span must
/// hold exactly what was typed for the value, no more and no less.
fn span_problem(text: &str, found: &Found) -> Option<String> {
    let typed = &text[found.span.clone()];
    let before = text[..found.span.start].chars().next_back();
    let after = text[found.span.end..].chars().next();
    let ok = match (found.kind, found.valid) {
        // A valid name is the typed words with their spacing collapsed.
        (ContactKind::Name, true) => {
            typed.split_whitespace().collect::<Vec<_>>().join(" ") == found.value
        }
        // A typed address differs from its normalised form only in case.
        (ContactKind::Email, true) if typed.contains('@') => {
            typed.to_lowercase() == found.value.to_lowercase()
                && !before.is_some_and(|c| c.is_alphanumeric() || c == '.')
                && !after.is_some_and(char::is_alphanumeric)
        }
        // A spelled-out address: the span starts and ends in a word.
        (ContactKind::Email, true) => {
            typed.chars().next().is_some_and(char::is_alphanumeric)
                && typed.chars().next_back().is_some_and(char::is_alphanumeric)
        }
        // A number: the span starts at its first sign and ends at its last
        // digit (an extension's included), and holds the value's digits.
        (ContactKind::Phone, true) => {
            let (number, extension) = found
                .value
                .split_once(";ext=")
                .unwrap_or((&found.value, ""));
            let typed_digits = digits(typed);
            let national_tail = &number[number.len().saturating_sub(6)..];
            (typed.starts_with(['+', '(']) || typed.starts_with(|c: char| c.is_ascii_digit()))
                && typed.ends_with(|c: char| c.is_ascii_digit())
                && typed_digits.ends_with(extension)
                && typed_digits.contains(national_tail)
                && !before.is_some_and(|c| c.is_ascii_digit() || c == '+')
                && !after.is_some_and(|c| c.is_ascii_digit())
        }
        // Anything invalid (but an obfuscated email) is reported as typed.
        (_, false) => found.kind == ContactKind::Email || typed == found.value,
        _ => true,
    };
    (!ok).then(|| format!("holds {typed:?} for {:?}", found.kind))
}

#[test]
fn table_has_at_least_200_lines() {
    assert!(CASES.len() >= 200, "only {} lines", CASES.len());
}

#[test]
fn every_line_finds_exactly_what_is_expected() {
    let mut failures = Vec::new();
    for (region, text, expected) in CASES {
        let options = ExtractOptions::default().with_default_region(region);
        let extraction = extract(text, &options);
        let got: Vec<(ContactKind, bool, &str)> = extraction
            .found
            .iter()
            .map(|f| (f.kind, f.valid, f.value.as_str()))
            .collect();
        let want: Vec<(ContactKind, bool, &str)> = expected
            .iter()
            .map(|(c, v)| {
                let (kind, valid) = kind_of(*c);
                (kind, valid, *v)
            })
            .collect();
        if got != want {
            failures.push(format!(
                "[{region}] {text:?}\n    want {want:?}\n    got  {got:?}"
            ));
        }
        for f in &extraction.found {
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            assert_eq!(f.valid, f.error.is_none());
            if let Some(problem) = span_problem(text, f) {
                failures.push(format!("[{region}] {text:?}: span {:?} {problem}", f.span));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} lines differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
