//! Word lists for extraction, in English, Spanish, German, French and
//! Portuguese. All entries are lowercase. The long lists are looked up as
//! hash sets: a linear scan of a few hundred strings per word was a tenth
//! of the time on text dense with contact details.

use std::collections::HashSet;
use std::sync::LazyLock;

/// A word list as a set, built on first use.
pub(super) type WordSet = LazyLock<HashSet<&'static str>>;

/// How much a name cue tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strength {
    /// "my name is", "me llamo" …: what follows is meant as a name, even in
    /// lowercase.
    Strong,
    /// "I'm", "soy", "ich bin", "je suis", "sou" …: what follows is a name
    /// only when capitalised and not a known non-name word.
    Weak,
    /// "this is", "here is", "hier ist", "aqui é" …: introduce a person as
    /// often as a company ("This is Acme Support"), so what follows is a
    /// name only when it is also capitalised and its first word is a known
    /// given name (see `given_names.txt`).
    Introduction,
}

/// Phrases that introduce the writer's own name. Longer phrases first.
pub(super) const NAME_CUES: &[(&str, Strength)] = &[
    ("my full name is", Strength::Strong),
    ("my name is", Strength::Strong),
    ("my name's", Strength::Strong),
    ("the name is", Strength::Strong),
    ("you can call me", Strength::Weak),
    ("call me", Strength::Weak),
    ("name:", Strength::Strong),
    ("mi nombre es", Strength::Strong),
    ("me llamo", Strength::Strong),
    ("nombre:", Strength::Strong),
    ("mein name ist", Strength::Strong),
    ("ich heiße", Strength::Strong),
    ("ich heisse", Strength::Strong),
    ("je m'appelle", Strength::Strong),
    ("mon nom est", Strength::Strong),
    ("nom:", Strength::Strong),
    ("meu nome é", Strength::Strong),
    ("meu nome e", Strength::Strong),
    ("me chamo", Strength::Strong),
    ("chamo-me", Strength::Strong),
    ("nome:", Strength::Strong),
    ("i'm", Strength::Weak),
    ("i am", Strength::Weak),
    ("this is", Strength::Introduction),
    ("here is", Strength::Introduction),
    ("here's", Strength::Introduction),
    ("soy", Strength::Weak),
    ("ich bin", Strength::Weak),
    ("hier ist", Strength::Introduction),
    ("hier spricht", Strength::Introduction),
    ("je suis", Strength::Weak),
    ("moi c'est", Strength::Weak),
    ("sou", Strength::Weak),
    ("aqui é", Strength::Introduction),
    ("aquí habla", Strength::Introduction),
    ("aqui fala", Strength::Introduction),
];

/// Titles skipped before a name ("I'm Dr. Ana Lima" → "Ana Lima").
#[rustfmt::skip]
pub(super) const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "señor", "señora", "señorita", "sr",
    "sra", "srta", "doña", "monsieur", "madame", "mademoiselle", "mme", "mlle", "senhor", "senhora",
    "dona", "dom",
];

/// Articles skipped after Portuguese and Spanish cues ("sou o Pedro").
pub(super) const ARTICLES: &[&str] = &["o", "a"];

/// Lowercase particles inside a name ("Juan de la Cruz", "Ludwig van Beethoven");
/// accepted after a strong cue only, and never as the first or last word.
#[rustfmt::skip]
pub(super) const PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "van", "von", "der", "den", "ter",
    "la", "le", "bin", "ibn", "al", "el",
];

/// Words that are not a name when they follow a cue ("I'm interested",
/// "soy de Madrid", "ich bin Kunde", "je suis intéressé", "sou cliente").
#[rustfmt::skip]
const NOT_NAMES_LIST: &[&str] = &[
    // English
    "interested", "looking", "not", "sure", "just", "here", "back", "sorry", "so", "very", "really",
    "also", "still", "currently", "calling", "writing", "contacting", "reaching", "trying",
    "wondering", "ready", "happy", "glad", "good", "fine", "great", "ok", "okay", "new", "a", "an",
    "the", "your", "our", "my", "his", "her", "their", "in", "at", "on", "from", "with", "for",
    "to", "of", "about", "available", "busy", "free", "done", "going", "gonna", "coming", "having",
    "getting", "asking", "checking", "thinking", "planning", "hoping", "already", "afraid",
    "confused", "lost", "unsure", "pretty", "quite", "kind", "based", "located", "living",
    "working", "retired", "married", "single", "over", "under", "only", "always", "never",
    "probably", "definitely", "actually", "now", "today", "tomorrow", "yes", "no", "sales",
    "support", "team", "customer", "client", "owner", "manager", "director", "ceo", "founder",
    "student", "teacher", "doctor", "english", "spanish", "french", "german", "portuguese",
    "brazilian", "american", "british", "canadian", "mexican", "italian", "chinese", "indian",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "july", "september", "october", "november", "december", "it", "that",
    "what", "how", "why", "who", "when", "where", "there", "this", "these", "those", "all", "both",
    "one", "two", "an", "is", "was", "will", "would", "can", "could", "should", "must", "might",
    "excited", "curious", "considering", "inquiring", "enquiring", "trying", "hi", "hello", "hey",
    "well", "late", "early", "fairly", "totally", "completely", "super", "absolutely", "following",
    "urgent", "important", "amazing", "awesome", "perfect", "weird", "strange", "crazy", "correct",
    "wrong", "right", "true", "false", "helpful", "useful", "impossible", "possible", "please",
    "thanks", "thank", "bitte", "danke", "gracias", "merci", "obrigado", "obrigada",
    // Spanish
    "interesado", "interesada", "interesados", "buscando", "de", "del", "el", "la", "los", "las",
    "un", "una", "muy", "nuevo", "nueva", "cliente", "estudiante", "profesor", "profesora",
    "médico", "médica", "español", "española", "mexicano", "mexicana", "argentino", "brasileño",
    "aquí", "yo", "tu", "su", "mi", "sí", "si", "bien", "casado", "casada", "soltero", "soltera",
    "dueño", "dueña", "gerente", "directora", "encargado", "encargada", "responsable", "que",
    "como", "para", "por", "con", "en", "desde", "tan", "feliz", "nuevo", "alguien", "parte",
    // German
    "interessiert", "auf", "der", "die", "das", "ein", "eine", "einer", "nicht", "sehr", "neu",
    "neue", "kunde", "kundin", "studentin", "arzt", "ärztin", "lehrer", "lehrerin", "rentner",
    "rentnerin", "inhaber", "inhaberin", "geschäftsführer", "geschäftsführerin", "mitglied",
    "interessent", "interessentin", "anfänger", "anfängerin", "mutter", "vater", "besitzer",
    "besitzerin", "eigentümer", "mieter", "vermieter", "unternehmer", "unternehmerin", "ingenieur",
    "entwickler", "berater", "beraterin", "deutscher", "deutsche", "österreicher", "schweizer",
    "gerade", "auch", "noch", "schon", "hier", "da", "dabei", "froh", "leider", "jetzt", "heute",
    "mal", "gespannt", "sicher", "unsicher", "bereit", "selbstständig", "verheiratet", "ledig",
    "aus", "von", "im", "bei", "mit", "für", "zu", "ganz", "wirklich", "kein", "keine", "neugierig",
    "am", "privat", "privatkunde", "firmenkunde",
    // French
    "intéressé", "intéressée", "intéressés", "intéressées", "interesse", "intéresse", "à", "du",
    "des", "le", "les", "très", "nouveau", "nouvelle", "étudiant", "étudiante", "médecin",
    "professeur", "français", "française", "ici", "là", "pas", "sûr", "sûre", "désolé", "désolée",
    "dans", "avec", "pour", "chez", "content", "contente", "ravi", "ravie", "prêt", "prête",
    "disponible", "marié", "mariée", "célibataire", "propriétaire", "gérant", "gérante",
    "directeur", "directrice", "toujours", "encore", "déjà", "vraiment", "plutôt", "moi", "juste",
    "seulement", "actuellement", "en", "un", "une", "curieux", "curieuse",
    // Portuguese
    "interessado", "interessada", "interessados", "o", "do", "dos", "das", "um", "uma", "muito",
    "nova", "estudante", "médico", "brasileiro", "brasileira", "português", "portuguesa", "daqui",
    "aqui", "não", "sim", "solteiro", "solteira", "dono", "diretor", "diretora", "responsável",
    "em", "no", "na", "com", "procurando", "cliente", "novo", "feliz",
];

/// Words that end a name ("John from Acme", "Ana y mi correo es …").
#[rustfmt::skip]
const NAME_ENDERS_LIST: &[&str] = &[
    "and", "from", "at", "with", "here", "of", "in", "for", "but", "or", "the", "is", "my", "i",
    "again", "speaking", "calling", "writing", "y", "pero", "o", "por", "para", "con", "mi", "yo",
    "desde", "aquí", "und", "aber", "oder", "mit", "aus", "mein", "meine", "ich", "hier", "bei",
    "et", "mais", "ou", "pour", "avec", "mon", "ma", "je", "ici", "chez", "e", "mas", "com", "meu",
    "minha", "eu", "aqui", "em", "please", "thanks", "thank", "bitte", "danke", "gracias", "merci",
    "obrigado", "obrigada",
];

/// Words in a company's name rather than a person's ("This is Acme Support").
#[rustfmt::skip]
const COMPANY_WORDS_LIST: &[&str] = &[
    "inc", "corp", "corporation", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sl", "sarl", "sas",
    "ltda", "co", "company", "support", "team", "sales", "service", "services", "customer", "group",
    "bot", "assistant", "help", "helpdesk", "desk",
];

/// Words that announce a phone number.
#[rustfmt::skip]
const PHONE_CUES_LIST: &[&str] = &[
    "phone", "tel", "telephone", "call", "cell", "cellphone", "mobile", "mob", "whatsapp", "sms",
    "text", "ring", "number", "fax", "teléfono", "telefono", "móvil", "movil", "celular", "llámame",
    "llamame", "llamar", "handy", "telefon", "telefonnummer", "nummer", "anrufen", "mobil",
    "téléphone", "portable", "tél", "appelez", "appeler", "numéro", "telefone", "telemóvel",
    "ligue", "ligar", "zap", "número", "whats",
];

/// Words that announce an email address: after one of them, an address
/// that fails validation (`ana@example`) is a real attempt worth a
/// correction, not an @-mention.
#[rustfmt::skip]
const EMAIL_CUES_LIST: &[&str] = &[
    "email", "mail", "emails", "correo", "courriel", "adresse", "endereço", "endereco",
    "address", "write", "escríbeme", "escribeme", "schreib", "schreiben", "écrivez", "escreva",
    "contact", "contacto", "contato", "kontakt",
];

/// Last word before a digit run that makes it not a phone number.
#[rustfmt::skip]
const NOT_PHONE_BEFORE_LIST: &[&str] = &[
    "order", "orders", "ticket", "invoice", "inv", "ref", "reference", "case", "tracking", "track",
    "account", "acct", "iban", "card", "credit", "visa", "mastercard", "amex", "pedido", "factura",
    "referencia", "expediente", "cuenta", "tarjeta", "bestellung", "bestellnummer", "auftrag",
    "auftragsnummer", "rechnung", "rechnungsnummer", "kundennummer", "konto", "karte", "commande",
    "facture", "dossier", "compte", "carte", "référence", "fatura", "protocolo", "encomenda",
    "conta", "cartão", "nif", "nie", "dni", "cpf", "cnpj", "rg", "ssn", "sin", "nir", "insee",
    "vat", "tva", "iva", "ust", "passport", "pasaporte", "passeport", "passaporte", "reisepass",
    "id", "version", "v", "ver", "build", "release", "versión", "versão", "postcode", "zip",
    "zipcode", "cep", "plz", "postleitzahl", "cp", "isbn", "serial", "sn", "imei", "pin", "code",
    "código", "codigo", "otp", "model", "modelo", "sku", "item", "article", "artikel", "price",
    "precio", "preço", "prix", "preis", "total", "amount", "importe", "valor", "montant", "betrag",
    "room", "zimmer", "habitación", "chambre", "quarto", "flight", "vuelo", "flug", "vol", "voo",
    "booking", "reservation", "reserva", "buchung", "réservation", "confirmation", "policy",
    "póliza", "claim", "patient", "member", "membership", "transaction", "txn", "receipt", "recibo",
    "quittung", "reçu", "customer", "cliente", "client", "kunde", "usd", "eur", "gbp", "brl", "rs",
    "kr", "chf", "steuernummer", "siret", "siren", "nss", "nuss", "aktenzeichen", "vorgang",
    "vorgangsnummer", "lot", "batch", "serie", "série", "license", "licence", "licencia", "licença",
    "führerschein", "permis", "dl", "routing", "swift", "bic", "sort",
];

/// [`NOT_NAMES_LIST`] as a set.
pub(super) static NOT_NAMES: WordSet = LazyLock::new(|| NOT_NAMES_LIST.iter().copied().collect());

/// [`NAME_ENDERS_LIST`] as a set.
pub(super) static NAME_ENDERS: WordSet =
    LazyLock::new(|| NAME_ENDERS_LIST.iter().copied().collect());

/// [`COMPANY_WORDS_LIST`] as a set.
pub(super) static COMPANY_WORDS: WordSet =
    LazyLock::new(|| COMPANY_WORDS_LIST.iter().copied().collect());

/// [`PHONE_CUES_LIST`] as a set.
pub(super) static PHONE_CUES: WordSet = LazyLock::new(|| PHONE_CUES_LIST.iter().copied().collect());

/// [`EMAIL_CUES_LIST`] as a set.
pub(super) static EMAIL_CUES: WordSet = LazyLock::new(|| EMAIL_CUES_LIST.iter().copied().collect());

/// [`NOT_PHONE_BEFORE_LIST`] as a set.
pub(super) static NOT_PHONE_BEFORE: WordSet =
    LazyLock::new(|| NOT_PHONE_BEFORE_LIST.iter().copied().collect());
