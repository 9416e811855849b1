def handler(event, context):
    """Returns the order with the given id; fails when none is given."""
    if "orderId" not in event:
        raise ValueError("orderId is required")
    return {"orderId": event["orderId"], "status": "created"}
