"""Quotes the price of a quantity of an item."""

PRICES = {"apple": 0.5, "pear": 0.75, "plum": 0.25}


def handler(event, context):
    item = event["item"]
    if item not in PRICES:
        raise KeyError("no price for " + item)
    total = round(PRICES[item] * int(event["quantity"]), 2)
    return {"item": item, "total": total}
