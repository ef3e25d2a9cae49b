"""`tessere citus-prepare [--sql] [--citus]`: keys by district, then (optionally) Citus."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tessere.core import citus, distribution


class Command(BaseCommand):
    help = _(
        "Prepara il database PostgreSQL alla distribuzione per ambito (Citus): chiavi primarie "
        "(district_id, id) e chiavi esterne con l'ambito tra le tabelle distribuite; con "
        "--citus crea anche le tabelle di riferimento, distribuite e locali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sql", action="store_true", help=_("stampa l'SQL senza eseguirlo"))
        parser.add_argument(
            "--citus",
            action="store_true",
            help=_("distribuisce anche le tabelle (serve l'estensione citus)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                _("Questo comando funziona solo con PostgreSQL (DATABASE_URL=postgres://...).")
            )
        problems = distribution.foreign_key_violations()
        if distribution.GAPS or problems:
            raise CommandError(
                _("Lo schema non è pronto per la distribuzione per ambito: %(list)s")
                % {"list": "; ".join([*distribution.GAPS, *problems])}
            )
        with_citus = options["citus"] and citus.has_citus(connection)
        if options["citus"] and not with_citus and not options["sql"]:
            raise CommandError(
                _(
                    "L'estensione citus non è installata in questo database: esegui "
                    "CREATE EXTENSION citus; (su un coordinatore Citus) oppure ometti --citus."
                )
            )
        statements = citus.key_statements(connection)
        # Without the extension, --sql --citus shows every Citus call (each skips a table
        # that Citus already knows, so the script stays safe to run on a coordinator).
        if options["citus"] and (not with_citus or citus.citus_pending(connection)):
            statements += citus.citus_statements()
        if not statements:
            self.stdout.write(self.style.SUCCESS(_("Niente da fare: il database è già pronto.")))
            return
        if options["sql"]:
            self.stdout.write("BEGIN;")
            for statement in statements:
                self.stdout.write(statement)
            self.stdout.write("COMMIT;")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                _("Database preparato: %(count)s istruzioni eseguite in una transazione.")
                % {"count": len(statements)}
            )
        )
