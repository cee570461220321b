"""zhuanxing (转型): a district platform for transforming traditional industries."""

__version__ = "0.1.0"
