"""Backup and restore of one installation: the database, the uploaded files, and (inside the
database) the matching index's change log.

A backup directory holds ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``db.sqlite3``
(SQLite's online backup API, consistent while the site runs), ``media/`` (every file of the
default storage, copied through the storage API so any backend works) and ``manifest.json``:
when, which database, every table's row count, and a checksum of the official figures. A
restore puts the three back and checks the counts and the checksum against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"

# The official figures: what a restore must bring back exactly (model label, fields).
OFFICIAL = [
    (
        "registry.AnnualData",
        [
            "enterprise__uscc",
            "year",
            "tax",
            "social_insurance",
            "output_value",
            "sales",
            "revenue",
            "value_added",
            "employees",
            "rd",
            "energy_tce",
            "electricity",
            "emissions",
            "emission_rights",
        ],
    ),
    ("registry.Enterprise", ["uscc", "name", "scale", "status", "industry_id"]),
    ("registry.LandParcel", ["certificate_no", "owner__uscc", "area_mu"]),
    (
        "evaluation.EvaluationResult",
        [
            "run__year",
            "run__version",
            "run__state",
            "enterprise__uscc",
            "computed_class",
            "regraded_class",
            "total",
        ],
    ),
    ("programs.Application", ["number", "state", "computed", "approved", "paid"]),
    ("programs.Payment", ["application__number", "stage", "amount"]),
]


def table_counts() -> dict[str, int]:
    """Every model table's row count (Django's own tables included)."""
    counts = {}
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def official_checksum() -> str:
    """sha256 over the official figures, read through the ORM (so Decimal and dates print the
    same on either database), each model ordered by its natural fields."""
    digest = hashlib.sha256()
    for label, fields in OFFICIAL:
        model = apps.get_model(label)
        digest.update(label.encode())
        for row in model.objects.order_by(*fields, "pk").values_list(*fields):
            digest.update(repr(tuple("" if v is None else str(v) for v in row)).encode())
    return digest.hexdigest()


def _pg_env(settings_dict) -> tuple[list[str], dict]:
    args = ["-d", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = os.environ.copy()
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _storage_files(directory: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{f}" if directory else f for f in files]
    for folder in folders:
        names += _storage_files(f"{directory}/{folder}" if directory else folder)
    return sorted(names)


def backup(target: Path) -> dict:
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise ValueError(f"备份目录不是空的：{target}")
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(target / "database.dump"), *args], check=True, env=env
        )
    elif vendor == "sqlite":
        destination = sqlite3.connect(target / "db.sqlite3")
        with destination:
            connection.connection.backup(destination)
        destination.close()
    else:
        raise ValueError(f"不支持的数据库：{vendor}")
    files = []
    for name in _storage_files():
        path = target / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        files.append(name)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "tables": table_counts(),
        "official_checksum": official_checksum(),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(source: Path) -> dict:
    """Put a backup back over the configured database and storage; returns the manifest. Raises
    ValueError when the result does not match the manifest."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise ValueError(f"备份来自 {manifest['database']}，当前数据库是 {vendor}")
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        connections.close_all()
        args, env = _pg_env(settings_dict)
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source / "database.dump"),
            ],
            check=True,
            env=env,
        )
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(source / "db.sqlite3")
        origin.backup(connection.connection)
        origin.close()
    for name in _storage_files():
        default_storage.delete(name)
    for name in manifest["files"]:
        with (source / "media" / name).open("rb") as handle:
            default_storage.save(name, File(handle))
    counts, checksum = table_counts(), official_checksum()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise ValueError(f"恢复后行数与备份不一致：{wrong}")
    if checksum != manifest["official_checksum"]:
        raise ValueError("恢复后官方数据校验和与备份不一致")
    return manifest
