"""Demo logins, one per role, printed by ``make demo``. Synthetic people only."""

from __future__ import annotations

from zhuanxing.accounts.models import Department, Role, User
from zhuanxing.registry.models import Enterprise, Town

DEMO_PASSWORD = "demo-2026"
DEMO_USERS = [
    # username, display name, role, department
    ("admin", "系统管理员", Role.ADMIN, ""),
    ("jxj", "经信局 王工（演示）", Role.BUREAU, Department.ECONOMY),
    ("kjj", "科技局 李工（演示）", Role.BUREAU, Department.SCIENCE),
    ("swj", "商务局 陈工（演示）", Role.BUREAU, Department.COMMERCE),
    ("luotuo", "骆驼街道 赵工（演示）", Role.TOWN, ""),
    ("qiye", "企业用户（演示）", Role.ENTERPRISE, ""),
    ("zhuanjia", "专家 周教授（演示）", Role.EXPERT, ""),
    ("pingshen", "评审专家 吴高工（演示）", Role.REVIEWER, ""),
]


def build(*, seed: int, stdout) -> None:
    town = Town.objects.get(code="luotuo")
    enterprise = (
        Enterprise.objects.filter(town=town, scale=Enterprise.Scale.ABOVE).order_by("uscc").first()
        or Enterprise.objects.order_by("uscc").first()
    )
    for username, display_name, role, department in DEMO_USERS:
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            department=department,
            town=town if role == Role.TOWN else None,
            enterprise=enterprise if role == Role.ENTERPRISE else None,
            is_staff=role in (Role.ADMIN, Role.BUREAU),
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    staff_permissions(User.objects.filter(role=Role.BUREAU))
    print_logins(stdout)


def print_logins(stdout) -> None:
    stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    for username, *_rest in DEMO_USERS:
        user = users.get(username)
        if user is None:
            continue
        extra = f"，企业：{user.enterprise}" if user.enterprise_id else ""
        extra += f"，镇街：{user.town}" if user.town_id else ""
        stdout.write(
            f"  {username:10s} {user.department or user.get_role_display()}：{user.display_name}{extra}"
        )


def staff_permissions(users) -> None:
    """Bureau staff may edit the district's reference data in the admin (towns, clusters, tags)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="经信局工作人员")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="registry",
            content_type__model__in=["town", "industrycluster", "tag", "enterprise", "landparcel", "lease"],
        )
    )
    for user in users:
        user.groups.add(group)
