"""Italian names, streets and the codice fiscale, for generated persons.

The codice fiscale is computed here (the official algorithm: surname, name, birth date and sex,
cadastral code of the birth place, check character) because the generator writes 100,000 of
them at factor 1; the tests check a sample against ``python-codicefiscale``.
"""

from __future__ import annotations

import datetime
import unicodedata

MALE_NAMES = (
    "Marco",
    "Luca",
    "Giuseppe",
    "Giovanni",
    "Andrea",
    "Francesco",
    "Alessandro",
    "Matteo",
    "Lorenzo",
    "Davide",
    "Stefano",
    "Roberto",
    "Paolo",
    "Antonio",
    "Mario",
    "Simone",
    "Federico",
    "Riccardo",
    "Gabriele",
    "Tommaso",
    "Leonardo",
    "Emanuele",
    "Fabio",
    "Massimo",
    "Claudio",
    "Sergio",
    "Alberto",
    "Daniele",
    "Enrico",
    "Nicola",
    "Pietro",
    "Salvatore",
    "Vincenzo",
    "Filippo",
    "Michele",
    "Carlo",
    "Bruno",
    "Franco",
    "Giorgio",
    "Luigi",
    "Angelo",
    "Raffaele",
    "Edoardo",
    "Samuele",
    "Diego",
)
FEMALE_NAMES = (
    "Giulia",
    "Francesca",
    "Sara",
    "Chiara",
    "Martina",
    "Anna",
    "Maria",
    "Laura",
    "Valentina",
    "Alessandra",
    "Elena",
    "Federica",
    "Silvia",
    "Paola",
    "Roberta",
    "Giorgia",
    "Sofia",
    "Aurora",
    "Alice",
    "Ginevra",
    "Emma",
    "Beatrice",
    "Greta",
    "Elisa",
    "Marta",
    "Barbara",
    "Cristina",
    "Daniela",
    "Simona",
    "Monica",
    "Patrizia",
    "Rosa",
    "Lucia",
    "Teresa",
    "Giovanna",
    "Carla",
    "Angela",
    "Serena",
    "Ilaria",
    "Noemi",
    "Camilla",
    "Rita",
    "Antonella",
    "Lorena",
    "Caterina",
    "Bianca",
)
SURNAMES = (
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Lombardo",
    "Serra",
    "Coppola",
    "De Santis",
    "D'Angelo",
    "Marchetti",
    "Parisi",
    "Villa",
    "Conte",
    "Ferraro",
    "Ferri",
    "Fabbri",
    "Bianco",
    "Marini",
    "Grasso",
    "Valentini",
    "Messina",
    "Sala",
    "De Angelis",
    "Gatti",
    "Pellegrini",
    "Palumbo",
    "Sanna",
    "Farina",
    "Rizzi",
    "Monti",
    "Cattaneo",
    "Morelli",
    "Amato",
    "Silvestri",
    "Mazza",
    "Testa",
    "Grassi",
    "Pellegrino",
    "Carbone",
    "Giuliani",
    "Benedetti",
    "Barone",
    "Rossetti",
    "Caputo",
    "Montanari",
    "Guerra",
    "Palmieri",
    "Bernardi",
    "Martino",
    "Fiore",
    "De Rosa",
    "Ferretti",
    "Bellini",
    "Basile",
    "Riva",
    "Donati",
    "Piras",
    "Vitali",
    "Battaglia",
    "Sartori",
    "Neri",
    "Costantini",
    "Milani",
    "Pagano",
    "Ruggiero",
    "Sorrentino",
    "D'Amico",
    "Orlando",
    "Damico",
    "Negri",
)

STREETS = (
    "Via Roma",
    "Via Garibaldi",
    "Via Mazzini",
    "Corso Vittorio Emanuele II",
    "Via Cavour",
    "Via Dante Alighieri",
    "Via Verdi",
    "Via Manzoni",
    "Piazza della Repubblica",
    "Via Matteotti",
    "Via Gramsci",
    "Via XX Settembre",
    "Via IV Novembre",
    "Viale Europa",
    "Via dei Mille",
    "Via Leopardi",
    "Via San Francesco",
    "Via Marconi",
    "Via della Libertà",
    "Via Kennedy",
    "Via Papa Giovanni XXIII",
    "Via Fratelli Rosselli",
    "Via Petrarca",
    "Via Carducci",
    "Via delle Rose",
)

_MONTHS = "ABCDEHLMPRST"
_ODD_LETTERS = [
    1,
    0,
    5,
    7,
    9,
    13,
    15,
    17,
    19,
    21,
    2,
    4,
    18,
    20,
    11,
    3,
    6,
    8,
    12,
    14,
    16,
    10,
    22,
    25,
    24,
    23,
]
_ODD = {
    **dict(zip("0123456789", (1, 0, 5, 7, 9, 13, 15, 17, 19, 21), strict=True)),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            _ODD_LETTERS,
            strict=True,
        )
    ),
}
_EVEN = {
    **{d: int(d) for d in "0123456789"},
    **{c: n for n, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")},
}
_VOWELS = set("AEIOU")


def _letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return "".join(c for c in plain if c.isalpha())


def _part(text: str, *, first_name: bool) -> str:
    letters = _letters(text)
    consonants = [c for c in letters if c not in _VOWELS]
    vowels = [c for c in letters if c in _VOWELS]
    if first_name and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return ("".join(consonants + vowels) + "XXX")[:3]


def check_character(first15: str) -> str:
    total = sum((_ODD if n % 2 == 0 else _EVEN)[c] for n, c in enumerate(first15))
    return chr(ord("A") + total % 26)


def fiscal_code(
    last_name: str, first_name: str, sex: str, birth: datetime.date, cadastral: str
) -> str:
    """The codice fiscale of a person (without omocodia)."""
    day = birth.day + (40 if sex == "F" else 0)
    body = (
        _part(last_name, first_name=False)
        + _part(first_name, first_name=True)
        + f"{birth.year % 100:02d}"
        + _MONTHS[birth.month - 1]
        + f"{day:02d}"
        + cadastral.upper()
    )
    return body + check_character(body)
