#!/usr/bin/env bash
# Runs every command of docs/fission-walkthrough.md in order against a running server (B defaults to :3000).
set -euo pipefail
B=${B:-http://localhost:3000}
json=(-H 'content-type: application/json')
RUN=$(date +%s)
SEQ=$(printf %04d $((RUN % 10000)))   # fresh phone numbers on every walk
login() {   # login PHONE [extra JSON fields] [device id] → token
  local code
  code=$(curl -s "${json[@]}" -d "{\"phone\":\"$1\"}" $B/auth/sms-codes | jq -r .devCode)
  curl -s "${json[@]}" ${3:+-H "x-device-id: $3"} -d "{\"phone\":\"$1\",\"code\":\"$code\"${2:+,$2}}" $B/auth/consumer/login | jq -r .token
}

A=(-H "authorization: Bearer $(login 1390000$SEQ '"displayName":"阿强"')")
curl -s "${A[@]}" $B/me/invite | jq '{code, link, invitees, descendants}'
INVITE=$(curl -s "${A[@]}" $B/me/invite | jq -r .code)

PRODUCT=$(curl -s -G -d limit=1 "$B/products" | jq -r '.items[0].id')
SHARE=$(curl -s "${A[@]}" "${json[@]}" -d "{\"targetType\":\"product\",\"targetId\":\"$PRODUCT\",\"channel\":\"wechat_friend\"}" $B/shares)
echo "$SHARE" | jq '{shareId, token, url, channel}'
TOKEN=$(echo "$SHARE" | jq -r .token)

curl -s "${A[@]}" -D - -o poster.png "$B/posters?targetType=product&targetId=$PRODUCT" | grep -i '^x-poster\|^x-share-url'

DEVICE=b-phone-$RUN
curl -s -o /dev/null -D - -H "x-device-id: $DEVICE" $B/s/$TOKEN | grep -i '^location'
# location: /#/products/prd_…?share=<token>
curl -s $B/shares/$TOKEN | jq '{sharerName, targetType}'
# {"sharerName": "阿强", "targetType": "product"}
curl -s -o /dev/null -D - -H "x-device-id: $DEVICE" $B/i/$INVITE | grep -i '^location'
# location: /?inviteCode=<code>

BH=(-H "authorization: Bearer $(login 1380000$SEQ "\"inviteCode\":\"$INVITE\",\"shareToken\":\"$TOKEN\"" $DEVICE)")
sleep 1   # events are delivered in the background
curl -s "${BH[@]}" $B/me/invite | jq '{inviter, depth}'

SKU=$(curl -s "$B/products/$PRODUCT" | jq -r '.skus[0].id')
ADDRESS=$(curl -s "${BH[@]}" "${json[@]}" -d '{"recipient":"李四","phone":"13800000000","province":"上海市","city":"上海市","district":"浦东新区","detail":"世纪大道 1 号"}' $B/me/addresses | jq -r .id)
ORDER=$(curl -s "${BH[@]}" "${json[@]}" -H "idempotency-key: fission-$RUN" -d "{\"items\":[{\"skuId\":\"$SKU\",\"qty\":1}],\"addressId\":\"$ADDRESS\"}" $B/orders | jq -r '.orders[0].id')
PAY_ID=$(curl -s "${BH[@]}" "${json[@]}" -d "{\"orderIds\":[\"$ORDER\"],\"provider\":\"test\"}" $B/payments | jq -r .paymentId)
curl -s -o /dev/null -w '%{http_code}\n' -X POST $B/pay/test/$PAY_ID/confirm
sleep 1

curl -s "${A[@]}" $B/me/shares/stats | jq '{total, rows}'
curl -s "${A[@]}" $B/me/invitees | jq '.items[] | {displayName, via, boundAt}'

OP=(-H "authorization: Bearer $(curl -s "${json[@]}" -d '{"username":"admin","password":"liebian-admin"}' $B/auth/login | jq -r .token)")
curl -s "${OP[@]}" $B/admin/orders/$ORDER/attribution | jq '{rule, share: .share.channel, sharer, visits: [.visits[] | {firstAt, clicks, credited}], registration, order}'
A_ID=$(curl -s "${A[@]}" $B/me | jq -r .id)
curl -s "${OP[@]}" "$B/admin/users/$A_ID/invite-tree?depth=3" | jq '{depth, pathToRoot, descendants, byLevel}'
curl -s "${OP[@]}" "$B/admin/shares/stats?groupBy=channel" | jq '.rows'

curl -s "${OP[@]}" "${json[@]}" -X PUT -d '{"windowDays":14,"rule":"first_touch"}' $B/admin/sharing/settings | jq
curl -s "${OP[@]}" $B/admin/poster-templates | jq '.[] | {key, name, isDefault, version}'
curl -s "${OP[@]}" -X PUT $B/admin/poster-templates/midnight/default | jq '{key, isDefault}'

RULE=$(curl -s "${OP[@]}" "${json[@]}" -H "idempotency-key: rule-$RUN" -d '{"name":"分享下单返现 5%","trigger":"share_order_paid","beneficiary":"sharer","rewardKind":"cash","rateBps":500,"budget":100000,"claimDays":7}' $B/admin/reward-rules | jq -r .id)

TOKEN2=$(curl -s "${A[@]}" "${json[@]}" -d "{\"targetType\":\"product\",\"targetId\":\"$PRODUCT\",\"channel\":\"wechat_friend\"}" $B/shares | jq -r .token)
curl -s -o /dev/null -H 'x-device-id: phone-of-c' $B/s/$TOKEN2
CH=(-H "authorization: Bearer $(login 1390002$SEQ "\"shareToken\":\"$TOKEN2\"" phone-of-c)")
ADDRESS_C=$(curl -s "${CH[@]}" "${json[@]}" -d '{"recipient":"王五","phone":"13800000001","province":"上海市","city":"上海市","district":"黄浦区","detail":"南京东路 2 号"}' $B/me/addresses | jq -r .id)
ORDER_C=$(curl -s "${CH[@]}" "${json[@]}" -d "{\"items\":[{\"skuId\":\"$SKU\",\"qty\":1}],\"addressId\":\"$ADDRESS_C\"}" $B/orders | jq -r '.orders[0].id')
PAY_C=$(curl -s "${CH[@]}" "${json[@]}" -d "{\"orderIds\":[\"$ORDER_C\"],\"provider\":\"test\"}" $B/payments | jq -r .paymentId)
curl -s -o /dev/null -X POST $B/pay/test/$PAY_C/confirm
sleep 1
curl -s "${A[@]}" $B/me/rewards | jq '{totals: .totals.pending, items: [.items[] | {status, kind, amount, orderId}]}'
curl -s "${A[@]}" $B/me/wallet | jq          # {available: 0, claimable: 0, pending: <5% of the order>}

ITEM_C=$(curl -s "${CH[@]}" $B/orders/$ORDER_C | jq -r '.items[0].id')
REQ=$(curl -s "${CH[@]}" "${json[@]}" -d "{\"type\":\"refund_only\",\"items\":[{\"orderItemId\":\"$ITEM_C\",\"qty\":1}],\"reasonCode\":\"other\",\"description\":\"拍错了\",\"photos\":[]}" $B/orders/$ORDER_C/aftersales | jq -r .id)
curl -s "${OP[@]}" "${json[@]}" -d '{}' $B/admin/aftersales/$REQ/approve | jq .status
sleep 1
curl -s "${A[@]}" $B/me/rewards | jq '[.items[] | {status, amount}]'          # cancelled
curl -s "${OP[@]}" $B/admin/reward-rules/$RULE/stats | jq '{budget, committed, remaining, issued, cancelled}'
curl -s $B/leaderboards/all/sharers | jq '.items'
