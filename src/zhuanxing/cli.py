"""The ``zhuanxing`` command: the pure engines' commands, else Django management.

Engine commands run without Django (an analyst needs no database); everything
else (``migrate``, ``demo-data``, ``import`` …) goes to Django's manage.py logic.
"""

from __future__ import annotations

import importlib
import os
import sys

# command -> "module:function"; each function takes argv (after the command) and returns an exit status.
ENGINE_COMMANDS = {
    "evaluate": "zhuanxing.scoring.cli:evaluate",
    "lift": "zhuanxing.scoring.cli:lift",
    "schemes": "zhuanxing.scoring.cli:schemes",
    "scheme-check": "zhuanxing.scoring.cli:scheme_check",
    "match": "zhuanxing.matching.cli:match",
    "match-eval": "zhuanxing.matching.cli:match_eval",
    "award": "zhuanxing.awards.cli:award",
}


def run_engine_command(name: str, argv: list[str]) -> int:
    module_name, function_name = ENGINE_COMMANDS[name].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    return int(function(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        return run_engine_command(argv[1], argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanxing.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
