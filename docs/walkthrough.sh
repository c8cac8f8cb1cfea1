#!/usr/bin/env bash
# Runs every command of docs/walkthrough.md in order against a running server (B defaults to :3000).
set -euo pipefail
B=${B:-http://localhost:3000}
json=(-H 'content-type: application/json')
RUN=$(date +%s)   # keeps idempotency keys and tracking numbers unique if you walk through twice

PHONE=${PHONE:-13912345678}
CODE=$(curl -s "${json[@]}" -d "{\"phone\":\"$PHONE\"}" $B/auth/sms-codes | jq -r .devCode)
TOKEN=$(curl -s "${json[@]}" -d "{\"phone\":\"$PHONE\",\"code\":\"$CODE\"}" $B/auth/consumer/login | jq -r .token)
ME=(-H "authorization: Bearer $TOKEN")
curl -s "${ME[@]}" $B/me | jq '{id, phone, roles}'

curl -s "$B/categories" | jq '.items[] | {id, name}'
PRODUCT=$(curl -s -G --data-urlencode q=保温杯 -d limit=1 "$B/products" | jq -r '.items[0].id')
curl -s "$B/products/$PRODUCT" | jq '{title, skus: [.skus[] | {id, specs, price, stock}]}'
SKU=$(curl -s "$B/products/$PRODUCT" | jq -r '.skus[0].id')
curl -s "${ME[@]}" "${json[@]}" -d "{\"skuId\":\"$SKU\",\"qty\":2}" $B/cart/items | jq '{selectedTotal}'

ADDRESS=$(curl -s "${ME[@]}" "${json[@]}" -d '{"recipient":"张三","phone":"13912345678","province":"上海市","city":"上海市","district":"浦东新区","detail":"世纪大道 100 号"}' $B/me/addresses | jq -r .id)
curl -s "${ME[@]}" "${json[@]}" -d '{"fromCart":true}' $B/checkout/preview | jq '{payable, parts: [.parts[] | {itemsTotal, adjustments, payable}]}'
ORDER=$(curl -s "${ME[@]}" "${json[@]}" -H "idempotency-key: checkout-$RUN" -d "{\"fromCart\":true,\"addressId\":\"$ADDRESS\"}" $B/orders | jq -r '.orders[0].id')
curl -s "${ME[@]}" $B/orders/$ORDER | jq '{status, payable, expiresAt}'

PAYMENT=$(curl -s "${ME[@]}" "${json[@]}" -d "{\"orderIds\":[\"$ORDER\"],\"provider\":\"test\"}" $B/payments)
echo "$PAYMENT" | jq '{paymentId, amount, action}'
PAY_ID=$(echo "$PAYMENT" | jq -r .paymentId)
curl -s -o /dev/null -w '%{http_code}\n' -X POST $B/pay/test/$PAY_ID/confirm
curl -s "${ME[@]}" $B/orders/$ORDER | jq '{status, paidAt, timeline: [.timeline[].event]}'
curl -s "$B/products/$PRODUCT" | jq '[.skus[] | {id, stock}][0]'   # the sold units have left stock

OP=$(curl -s "${json[@]}" -d '{"username":"admin","password":"liebian-admin"}' $B/auth/login | jq -r .token)
OPH=(-H "authorization: Bearer $OP")
curl -s "${OPH[@]}" "${json[@]}" -H "idempotency-key: ship-$RUN" -d "{\"carrier\":\"SF\",\"trackingNo\":\"SF$RUN\"}" $B/admin/orders/$ORDER/shipments | jq '{id, carrier, trackingNo}'
curl -s "${ME[@]}" $B/orders/$ORDER | jq .status

curl -s "${ME[@]}" -X POST $B/orders/$ORDER/confirm-receipt | jq .status
ITEM=$(curl -s "${ME[@]}" $B/orders/$ORDER | jq -r '.items[0].id')
QTY=$(curl -s "${ME[@]}" $B/orders/$ORDER | jq -r '.items[0].qty')
REQUEST=$(curl -s "${ME[@]}" "${json[@]}" -d "{\"type\":\"return_refund\",\"items\":[{\"orderItemId\":\"$ITEM\",\"qty\":$QTY}],\"reasonCode\":\"no_reason\",\"description\":\"不想要了\",\"photos\":[]}" $B/orders/$ORDER/aftersales | jq -r .id)
curl -s "${ME[@]}" $B/aftersales/$REQUEST | jq '{status, type, refundAmount}'

curl -s "${OPH[@]}" "${json[@]}" -d '{"note":"同意退货"}' $B/admin/aftersales/$REQUEST/approve | jq .status
curl -s "${ME[@]}" "${json[@]}" -d "{\"carrier\":\"SF\",\"trackingNo\":\"SFR$RUN\"}" $B/aftersales/$REQUEST/return-shipment | jq .status
curl -s "${OPH[@]}" "${json[@]}" -d '{"restock":true}' $B/admin/aftersales/$REQUEST/receive-return | jq .status
curl -s "${OPH[@]}" "${json[@]}" -H "idempotency-key: refund-$RUN" -d '{}' $B/admin/aftersales/$REQUEST/refund | jq .status
curl -s "${ME[@]}" $B/orders/$ORDER | jq '{status, refundedAmount, payable}'
curl -s "${OPH[@]}" "$B/admin/refunds" | jq '.items[0] | {orderId, amount, status}'
curl -s "$B/products/$PRODUCT" | jq '[.skus[] | {id, stock}][0]'

curl -s "${OPH[@]}" "$B/admin/audit-log?limit=5" | jq '.items[] | {action, entity, entityId, actorKind, at}'
