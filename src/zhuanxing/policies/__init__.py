"""Shipped support policies (政策兑现), one YAML file each; see ``zhuanxing.awards.shipped_policies``."""
