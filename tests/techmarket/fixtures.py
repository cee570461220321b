"""A small technology market: two institutions, three experts (one is the ``expert`` user), an
achievement, and the index built over them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

SERVO_DEMAND = {
    "title": "冲压送料机械手定位精度不足",
    "problem": "冲压线上的送料机械手重复定位精度只有0.5mm，伺服电机调节困难，希望提升到0.05mm。",
    "indicators": "重复定位精度0.05mm，节拍20次/分钟",
    "field": "装备制造",
}


def build_market(users) -> dict:
    from zhuanxing.techmarket import indexing
    from zhuanxing.techmarket.models import Achievement, Expert, Institution

    nbu = Institution.objects.create(
        name="宁波大学",
        kind="高校",
        region="宁波市",
        fields=["装备制造"],
        capabilities="机械工程、工业机器人",
    )
    cnitech = Institution.objects.create(
        name="中科院宁波材料技术与工程研究所",
        kind="科研院所",
        region="宁波市镇海区",
        fields=["新材料"],
        capabilities="改性塑料、高分子材料、表面处理",
    )
    robot = Expert.objects.create(
        name="周明",
        user=users["expert"],
        institution=nbu,
        title="教授",
        fields=["装备制造", "先进制造与自动化"],
        keywords="工业机器人 伺服电机 运动控制",
        directions="冲压自动化、机器人轨迹规划与伺服控制",
        phone="13800000001",
        email="zhou@example.cn",
        is_advisor=True,
        confirmed_on=dt.date.today(),
    )
    plastics = Expert.objects.create(
        name="李华",
        institution=cnitech,
        title="研究员",
        fields=["新材料"],
        keywords="改性塑料 阻燃",
        directions="聚丙烯改性、阻燃材料",
        phone="13800000002",
        is_advisor=True,
    )
    textile = Expert.objects.create(
        name="王芳",
        affiliation="浙江理工大学",
        title="副教授",
        fields=["纺织服装"],
        keywords="印染 废水",
        directions="印染废水处理",
    )
    gripper = Achievement.objects.create(
        name="高精度伺服送料机械手",
        description="基于伺服电机闭环控制的冲压送料机械手，定位精度0.02mm",
        field="装备制造",
        maturity="中试",
        transfer_modes=["许可", "合作开发"],
        price=Decimal("80"),
        valid_until=dt.date.today() + dt.timedelta(days=365),
        institution=nbu,
        expert=robot,
    )
    indexing.rebuild()
    return {
        "nbu": nbu,
        "cnitech": cnitech,
        "robot": robot,
        "plastics": plastics,
        "textile": textile,
        "gripper": gripper,
    }


@pytest.fixture
def market(users):
    return build_market(users)


@pytest.fixture
def demand(market, users):
    from zhuanxing.techmarket import services

    return services.demand_create(
        actor=users["enterprise"], enterprise=users["enterprise"].enterprise, values=SERVO_DEMAND
    )
