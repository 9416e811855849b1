import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    order = event.get("order")
    amount = event.get("amount", 0)
    if not isinstance(amount, (int, float)) or amount <= 0:
        raise ValueError(f"order {order}: amount must be positive, got {amount!r}")
    logger.info("order %s paid: %s", order, amount)
    return {"order": order, "status": "paid"}
