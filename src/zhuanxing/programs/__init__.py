"""政策兑现: the policy library, applications and their review, public notice, staged payment, 免申即享."""
