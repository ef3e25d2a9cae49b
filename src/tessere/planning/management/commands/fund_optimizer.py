"""`tessere fund-optimizer INPUT.json`: solve a funding problem and print the result as JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tessere.planning.optimizer import OptimizerInputError, optimise


class Command(BaseCommand):
    help = _("Ripartisce i fondi tra le azioni del piano (input JSON; '-' per lo standard input).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help=_("file JSON di input, oppure - per lo standard input"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["input"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(
                _("Non riesco a leggere %(path)s: %(error)s") % {"path": path, "error": error},
                returncode=2,
            ) from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                _("JSON non valido (riga %(line)s, colonna %(column)s): %(error)s")
                % {"line": error.lineno, "column": error.colno, "error": error.msg},
                returncode=2,
            ) from error
        try:
            result = optimise(data)
        except OptimizerInputError as error:
            raise CommandError(
                _("Input non valido, campo %(field)s: %(message)s")
                % {"field": error.field, "message": error.message},
                returncode=2,
            ) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
