from __future__ import annotations

import argparse
import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tessere.core.errors import DomainError
from tessere.territory.models import District


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» non è una data nel formato AAAA-MM-GG, per esempio 2026-11-23."
        ) from None


class Command(BaseCommand):
    help = (
        "Riempie un ambito esistente con dati realistici e coerenti in proporzione al fattore "
        "(1 = l'ambito unico di Milano); deterministico dal seme."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="codice dell'ambito")
        parser.add_argument("--factor", type=float, required=True, help="per esempio 0.01 o 1")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--checksum", action="store_true", help="stampa l'impronta dei dati generati"
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="il giorno dei dati, AAAA-MM-GG (predefinito: oggi): lo stesso seme e lo "
            "stesso giorno danno gli stessi dati",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from tessere import scale

        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"Ambito «{options['district']}» non trovato.")

        def progress(room: str, seconds: float, counts: dict[str, int]) -> None:
            rows = sum(counts.values())
            self.stdout.write(f"{room}: {rows:,} righe in {seconds:.1f} s")
            for label, count in counts.items():
                self.stdout.write(f"  {label}: {count:,}", style_func=None)

        started = time.perf_counter()
        try:
            report = scale.generate(
                district=district,
                factor=options["factor"],
                seed=options["seed"],
                today=options["today"],
                progress=progress,
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        total = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{district.code}: {sum(report.counts.values()):,} righe, fattore "
                f"{options['factor']}, seme {options['seed']}, {connection.vendor}, "
                f"{total:.1f} s"
            )
        )
        if options["checksum"]:
            self.stdout.write(f"impronta: {scale.checksum(district)}")
