"""The imports' background job: apply a large checked file (one transaction, all or nothing)."""

from __future__ import annotations

from django.urls import reverse

from zhuanxing.imports import services


def apply_job(*, job, progress) -> dict:
    params = job.params
    path = services.upload_path(params["sha256"], params["suffix"])
    if not path.exists():
        from django.core.exceptions import ValidationError

        raise ValidationError("上传的文件已不在服务器上，请重新上传")
    progress(stage="检查并写入数据", total=params.get("rows"))
    # ImportRefused is a ValidationError: the job fails with every problem in Chinese, nothing written.
    batch, _preview = services.batch_apply(
        actor=job.created_by,
        source=params["source"],
        path=path,
        file_name=params["file_name"],
        year=int(params["year"]),
    )
    if params.get("rows"):
        progress(done=params["rows"])
    if batch is None:
        return {
            "url": reverse("imports:home"),
            "message": "文件内容与现有数据一致，没有需要导入的变更，未记录新的批次。",
        }
    return {
        "url": reverse("imports:batch_detail", kwargs={"pk": batch.pk}),
        "message": f"已导入：{batch}（新增 {batch.summary['new']:,} 行，变更 {batch.summary['changed']:,} 行）",
    }
