"""Every command of the ``zhuanxing`` console script is documented in docs/cli.md."""

from pathlib import Path

from django.core.management import get_commands

from zhuanxing.cli import ENGINE_COMMANDS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def project_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("zhuanxing")}


def test_every_command_has_a_section_in_the_cli_docs():
    text = DOCS.read_text(encoding="utf-8")
    documented = {
        line.split("`zhuanxing ")[1].split()[0].rstrip("`")
        for line in text.splitlines()
        if line.startswith("### `zhuanxing ")
    }
    missing = sorted((set(ENGINE_COMMANDS) | project_commands()) - documented)
    assert not missing, f"document these commands in docs/cli.md: {missing}"
