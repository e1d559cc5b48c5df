<?xml version="1.0" encoding="UTF-8"?>
<!--
  cXML OrderRequest (Ariba, Coupa, punch-out platforms; cXML 1.2.x) → OrderHub canonical order.

  Output contract (read by io.orderhub.format.xml.XsltOrderMapper): JSON
    {"orders": [{"documentId": "...", "order": {canonical order}, "errors": [{"field", "message"}]}],
     "documentErrors": [{"field", "message"}]}
  One order per cXML/Request holding an OrderRequest (a cXML document normally has one). "field" in
  errors is an XPath into the source document, e.g. /cXML/Request/OrderRequest/ItemOut[2]/@quantity.
  An order with errors is rejected.

  Numbers: amounts and quantities are cast to xs:decimal here (never xs:double) and written by the
  JSON serializer as plain decimal literals; Java reads them back as exact BigDecimals (the value is
  exact; trailing zeros are not kept: 3420.60 is written as 3420.6). A value that is
  not a decimal number is left out and reported with its XPath.

  Mapping decisions:
  - externalId = OrderRequestHeader/@orderID; orderDate = @orderDate as given (ISO 8601; Z is added when
    it has no offset, T00:00:00Z when it is a date only).
  - purpose = OrderRequestHeader/@type: "new" (the default) -> ORIGINAL, "update" -> REPLACE (an update
    carries the whole changed order), "delete" -> CANCEL. Any other value is an error. The hub acts on
    update and delete against the order of the same channel and @orderID (io.orderhub.order.OrderAmendments).
  - currency = Total/Money/@currency (else the first line's UnitPrice currency); every Money used must
    be in that currency.
  - customer: externalId = the buying organisation's credential (Header/From/Credential/Identity);
    name = Contact (role endUser first)/Name, else BillTo DeliverTo, else the BillTo/ShipTo Address Name,
    else the buying organisation's credential (an order that names no one); a fallback is named in the
    order's provenance;
    company = BillTo/Address/Name; email and phone from the Contact, else from BillTo.
  - Addresses (ShipTo, BillTo): name = first DeliverTo, else Address/Name; company = Address/Name;
    line1 = first Street; line2 = further DeliverTo and Street lines; region = State;
    country = Country/@isoCountryCode (else Address/@isoCountryCode); phone = Phone/TelephoneNumber as
    "+<country code> <area> <number>", else a PostalAddress Extrinsic named phone; email = Email.
    A BillTo without a PostalAddress (a name only), or with one lacking Street, City or a country, is not an
    address to invoice and is left out (the bill-to is optional; provenance says so).
  - Several ship-to addresses: an ItemOut/ShipTo that differs from the header ShipTo is rejected with an
    error at that line's address (one order ships to one address; send one order per address).
  - lines: lineNo = @lineNumber (else the ItemOut's position); sku = ItemID/SupplierPartID;
    buyerSku = ItemID/BuyerPartID; SupplierPartAuxiliaryID (the supplier's cart or configuration key)
    has no canonical field and is not mapped; description = ItemDetail/Description text (ShortName
    first when present); quantity = @quantity; uom = UnitOfMeasure (upper-cased);
    unitPrice = UnitPrice/Money, per ordered unit: with an ItemDetail/PriceBasisQuantity it is UnitPrice ×
    conversionFactor (1 when absent) ÷ @quantity, rounded half-up to 6 decimals, and line source keeps the
    document's price and basis (a basis unit other than the ordered one without conversionFactor, or a
    quantity that is not positive, is an error); lineTotal = quantity × unitPrice (cXML carries no line
    totals; rounded to 2 decimals when a price basis applies);
    taxAmount = ItemOut/Tax/Money.
  - totals: cXML's OrderRequestHeader/Total is the sum of the items without tax and shipping, so
    subtotal = Total/Money (the validator then checks it against the lines: not adjusted);
    shipping = header Shipping/Money (else the sum of ItemOut/Shipping); tax = header Tax/Money (else the
    sum of ItemOut/Tax); discount = 0 (cXML 1.2 OrderRequest has no order discount);
    grandTotal = subtotal − discount + shipping + tax.
  - payment: Payment/PCard refuses the order (card numbers are never accepted, stored or echoed: the
    card element is never read into the order). Payment/PaymentReference (paid through a payment
    provider) → prepaid with reference = the IdReference of domain charge_id (else the first one);
    otherwise invoice (procurement orders are invoiced), terms = PaymentTerm/@payInNumberOfDays as NETn.
  - shippingMethod = Shipping/Description when not blank; notes = header Comments text (attachments
    left out) and line Comments as "Line n: ..."; Extrinsic elements and the Request deploymentMode are
    not interpreted. The header SharedSecret is never read.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:array="http://www.w3.org/2005/xpath-functions/array"
    xmlns:f="urn:orderhub:xslt:functions"
    exclude-result-prefixes="#all">

  <xsl:output method="json" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*"/>
  </xsl:template>

  <xsl:template match="/*" priority="-1">
    <xsl:sequence select="map{'orders': array{}, 'documentErrors': array{
        map{'field': f:path(.), 'message': 'is not a cXML document (root element cXML)'}}}"/>
  </xsl:template>

  <xsl:template match="/cXML">
    <xsl:variable name="requests" select="Request[OrderRequest]"/>
    <xsl:sequence select="if (empty($requests)) then
        map{'orders': array{}, 'documentErrors': array{ map{'field': '/cXML',
            'message': 'holds no Request/OrderRequest (only order requests are accepted here)'} }}
      else map{'orders': array{ $requests/OrderRequest[1] ! f:order(.) }, 'documentErrors': array{}}"/>
  </xsl:template>

  <!-- ============================================================== order -->

  <xsl:function name="f:order" as="map(*)">
    <xsl:param name="r" as="element(OrderRequest)"/>
    <xsl:variable name="h" select="$r/OrderRequestHeader"/>
    <xsl:variable name="items" select="$r/ItemOut"/>
    <xsl:variable name="currency" select="f:text(($h/Total/Money/@currency, $items/ItemDetail/UnitPrice/Money/@currency))"/>
    <xsl:variable name="ship" select="$h/ShipTo/Address"/>
    <xsl:variable name="bill" select="$h/BillTo/Address"/>
    <xsl:variable name="contact" select="($h/Contact[@role = 'endUser'], $h/Contact)[1]"/>
    <!-- a bill-to is an address only when complete enough to send an invoice to; a partial one is left out -->
    <xsl:variable name="bill-complete" select="$bill[PostalAddress[normalize-space(Street[1]) ne ''][normalize-space(City) ne '']
        [normalize-space((Country/@isoCountryCode, ../@isoCountryCode)[1]) ne '']]"/>
    <xsl:variable name="identity" select="normalize-space(root($r)/cXML/Header/From/Credential/Identity)[. ne '']"/>
    <!-- the customer's name and, when a fallback gave it, where it came from (the order's provenance) -->
    <xsl:variable name="customer-name" as="map(*)?" select="
        let $n := function($e) { normalize-space($e)[. ne ''] } return
        if ($n($contact/Name)) then map{'value': $n($contact/Name)}
        else if ($n($bill/PostalAddress/DeliverTo[1])) then map{'value': $n($bill/PostalAddress/DeliverTo[1]),
            'from': 'BillTo/Address/PostalAddress/DeliverTo: the bill-to addressee (no Contact is named)'}
        else if ($n($bill/Name)) then map{'value': $n($bill/Name),
            'from': 'BillTo/Address/Name: the bill-to name (no Contact is named)'}
        else if ($n($ship/Name)) then map{'value': $n($ship/Name),
            'from': 'ShipTo/Address/Name: the ship-to name (neither a Contact nor a bill-to is named)'}
        else if ($identity) then map{'value': $identity,
            'from': 'Header/From/Credential/Identity: the buying organisation''s id (the order names no one)'}
        else ()"/>
    <xsl:variable name="lines" as="map(*)*" select="$items ! f:line(.)"/>
    <xsl:variable name="line-totals" select="for $l in $lines return $l?lineTotal"/>

    <xsl:variable name="subtotal" select="f:dec($h/Total/Money)"/>
    <xsl:variable name="shipping" select="if ($h/Shipping/Money) then f:dec($h/Shipping/Money)
        else if ($items/Shipping/Money) then f:sum($items/Shipping/Money) else 0.0"/>
    <xsl:variable name="tax" select="if ($h/Tax/Money) then f:dec($h/Tax/Money)
        else if ($items/Tax/Money) then f:sum($items/Tax/Money) else 0.0"/>
    <xsl:variable name="discount" select="0.0"/>
    <xsl:variable name="grand" select="if (exists($subtotal) and exists($shipping) and exists($tax))
        then $subtotal - $discount + $shipping + $tax else ()"/>

    <xsl:variable name="payment-ref" select="$h/Payment/PaymentReference"/>
    <xsl:variable name="days" select="normalize-space(($h/PaymentTerm/@payInNumberOfDays)[1])"/>
    <xsl:variable name="payment" select="if ($payment-ref) then map:merge((map{'method': 'prepaid'},
            f:s('reference', (($payment-ref/IdReference[@domain = 'charge_id'], $payment-ref/IdReference)/@identifier))))
        else map:merge((map{'method': 'invoice'},
            f:s('terms', if ($days castable as xs:nonNegativeInteger) then 'NET' || xs:integer($days) else ())))"/>

    <xsl:variable name="notes" select="string-join((
        $h/Comments ! f:comment(.),
        $items ! (for $c in Comments ! f:comment(.) return 'Line ' || f:line-no(.) || ': ' || $c)), '&#10;')"/>

    <xsl:variable name="money" select="$h/(Total | Shipping | Tax)/Money, $items/(ItemDetail/UnitPrice | Tax | Shipping)/Money"/>
    <xsl:variable name="errors" as="map(*)*">
      <xsl:if test="not(normalize-space(($h/@type, 'new')[1]) = ('new', 'update', 'delete'))">
        <xsl:sequence select="f:error($h/@type, 'is ''' || f:clip($h/@type) || '''; expected new, update or delete')"/>
      </xsl:if>
      <xsl:if test="empty($items)">
        <xsl:sequence select="f:error($r, 'has no ItemOut: an order needs at least one line')"/>
      </xsl:if>
      <xsl:for-each select="$items/ItemDetail/PriceBasisQuantity[not(f:dec(@quantity) gt 0)
          or (@conversionFactor and not(f:dec(@conversionFactor) gt 0))]">
        <xsl:sequence select="f:error(., 'needs a positive quantity (and conversionFactor when given): the price per ordered unit is unknown')"/>
      </xsl:for-each>
      <xsl:for-each select="$items/ItemDetail/PriceBasisQuantity[empty(@conversionFactor)]
          [upper-case(normalize-space(UnitOfMeasure)) ne upper-case(normalize-space(../UnitOfMeasure))]">
        <xsl:sequence select="f:error(UnitOfMeasure, 'is ' || f:clip(UnitOfMeasure) || ' but the item is ordered in '
            || f:clip(../UnitOfMeasure) || ' and no conversionFactor is given: the hub does not convert units')"/>
      </xsl:for-each>
      <xsl:for-each select="($money, $items/@quantity)[normalize-space() ne ''][not(normalize-space() castable as xs:decimal)]">
        <xsl:sequence select="f:error(., 'is not a number: ''' || f:clip(.) || '''')"/>
      </xsl:for-each>
      <xsl:for-each select="$money/@currency[exists($currency)][normalize-space() ne $currency]">
        <xsl:sequence select="f:error(., 'is ' || f:clip(.) || ' but the order currency is ' || $currency || '; one order is in one currency')"/>
      </xsl:for-each>
      <xsl:if test="$h/@orderDate[not(f:date-time(.))]">
        <xsl:sequence select="f:error($h/@orderDate, 'is not an ISO 8601 date-time, e.g. 2024-01-15T10:00:00-08:00')"/>
      </xsl:if>
      <xsl:for-each select="$items/ShipTo/Address[f:address-key(.) ne f:address-key($ship)]">
        <xsl:sequence select="f:error(., 'is a different ship-to address than the order''s; one order ships to one address: send one order per ship-to address')"/>
      </xsl:for-each>
      <xsl:for-each select="$h/Payment/PCard, $r//PCard except $h/Payment/PCard">
        <xsl:sequence select="f:error(., 'is a payment card (PCard); card numbers are never accepted: pay by invoice, or through a payment provider and send a PaymentReference')"/>
      </xsl:for-each>
    </xsl:variable>

    <xsl:variable name="order" select="map:merge((
        f:s('externalId', $h/@orderID),
        f:s('purpose', map { 'update': 'REPLACE', 'delete': 'CANCEL' }(normalize-space($h/@type))),
        f:v('orderDate', f:date-time($h/@orderDate)),
        f:s('currency', $currency),
        map{'customer': map:merge((
            f:s('externalId', root($r)/cXML/Header/From/Credential/Identity),
            f:s('name', $customer-name?value),
            f:s('email', ($contact/Email, $bill/Email)),
            f:s('phone', (f:phone($contact), f:phone($bill))),
            f:s('company', $bill/Name)))},
        f:v('billTo', f:address($bill-complete)),
        f:v('shipTo', f:address(($ship, ($items/ShipTo/Address)[1])[1])),
        map{'lines': array{ $lines }},
        map{'totals': map:merge((
            f:v('subtotal', $subtotal), f:v('discount', $discount), f:v('shipping', $shipping),
            f:v('tax', $tax), f:v('grandTotal', $grand)))},
        map{'payment': $payment},
        f:s('shippingMethod', $h/Shipping/Description),
        f:s('notes', $notes),
        let $p := map:merge((
            f:s('/customer/name', $customer-name?from),
            if ($bill[PostalAddress] and empty($bill-complete)) then map{'/billTo': 'BillTo/Address: left out, the'
                || ' address is incomplete (Street, City and a country are needed); the bill-to is optional'} else ()))
        return if (map:size($p) gt 0) then map{'provenance': $p} else ()
        ))"/>

    <xsl:sequence select="map{'documentId': string($h/@orderID), 'order': $order, 'errors': array{ $errors }}"/>
  </xsl:function>

  <!-- ============================================================== lines -->

  <xsl:function name="f:line" as="map(*)">
    <xsl:param name="item" as="element(ItemOut)"/>
    <xsl:variable name="quantity" select="f:dec($item/@quantity)"/>
    <xsl:variable name="price" select="f:dec($item/ItemDetail/UnitPrice/Money)"/>
    <!-- PriceBasisQuantity: UnitPrice is for @quantity of its UnitOfMeasure; conversionFactor converts the ordered
         unit to that unit. Price per ordered unit = UnitPrice × conversionFactor ÷ quantity. -->
    <xsl:variable name="pbq" select="$item/ItemDetail/PriceBasisQuantity[f:dec(@quantity) gt 0]"/>
    <xsl:variable name="factor" select="if ($pbq) then (f:dec($pbq/@conversionFactor), 1.0)[1] div f:dec($pbq/@quantity) else 1.0"/>
    <xsl:variable name="description" select="$item/ItemDetail/Description"/>
    <xsl:sequence select="map:merge((
        map{'lineNo': f:line-no($item)},
        f:s('sku', $item/ItemID/SupplierPartID),
        f:s('description', string-join(($description/ShortName, $description/text())/normalize-space()[. ne ''], ' ')),
        f:v('quantity', $quantity),
        f:s('uom', upper-case(normalize-space($item/ItemDetail/UnitOfMeasure))),
        f:v('unitPrice', if ($pbq and exists($price)) then round($price * $factor, 6) else $price),
        f:v('lineTotal', if (exists($quantity) and exists($price))
            then (if ($pbq) then round($quantity * $price * $factor, 2) else $quantity * $price) else ()),
        if ($pbq) then map{'source': map:merge((f:v('price', $price), f:v('basisQuantity', f:dec($pbq/@quantity)),
            f:s('basisUnit', upper-case(normalize-space($pbq/UnitOfMeasure)))))} else (),
        f:v('taxAmount', f:dec($item/Tax/Money)),
        f:s('buyerSku', $item/ItemID/BuyerPartID)
        ))"/>
  </xsl:function>

  <xsl:function name="f:line-no" as="xs:integer">
    <xsl:param name="item" as="element(ItemOut)"/>
    <xsl:variable name="n" select="normalize-space($item/@lineNumber)"/>
    <xsl:sequence select="if ($n castable as xs:positiveInteger) then xs:integer($n)
        else count($item/preceding-sibling::ItemOut) + 1"/>
  </xsl:function>

  <!-- ============================================================== addresses -->

  <xsl:function name="f:address" as="map(*)?">
    <xsl:param name="a" as="element(Address)?"/>
    <xsl:if test="exists($a)">
      <xsl:variable name="p" select="$a/PostalAddress"/>
      <xsl:variable name="deliver-to" select="$p/DeliverTo/normalize-space()[. ne '']"/>
      <xsl:variable name="streets" select="$p/Street/normalize-space()[. ne '']"/>
      <xsl:sequence select="map:merge((
          f:s('name', ($deliver-to[1], $a/Name)),
          f:s('company', $a/Name),
          f:s('line1', $streets[1]),
          f:s('line2', string-join(($deliver-to[position() gt 1], $streets[position() gt 1]), ', ')),
          f:s('city', $p/City),
          f:s('region', $p/State),
          f:s('postalCode', $p/PostalCode),
          f:s('country', upper-case(f:text(($p/Country/@isoCountryCode, $a/@isoCountryCode)))),
          f:s('phone', (f:phone($a), $p/Extrinsic[lower-case(@name) = 'phone'])),
          f:s('email', $a/Email)
          ))"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:phone" as="xs:string?">
    <xsl:param name="owner" as="element()?"/>
    <xsl:variable name="t" select="$owner/Phone[1]/TelephoneNumber"/>
    <xsl:sequence select="if ($t/Number[normalize-space()]) then string-join((
        $t/CountryCode/normalize-space()[. ne ''] ! ('+' || .), $t/AreaOrCityCode/normalize-space(), $t/Number/normalize-space())[. ne ''], ' ')
      else ()"/>
  </xsl:function>

  <xsl:function name="f:address-key" as="xs:string">
    <xsl:param name="a" as="element(Address)?"/>
    <xsl:sequence select="string-join(($a/PostalAddress/(DeliverTo, Street, City, State, PostalCode, Country/@isoCountryCode))
        ! lower-case(normalize-space()), '|')"/>
  </xsl:function>

  <!-- ============================================================== values -->

  <xsl:function name="f:comment" as="xs:string?">
    <xsl:param name="c" as="element(Comments)"/>
    <xsl:sequence select="f:text(string-join($c/text(), ' '))"/>
  </xsl:function>

  <xsl:function name="f:date-time" as="xs:string?">
    <xsl:param name="value" as="attribute()?"/>
    <xsl:variable name="v" select="normalize-space($value)"/>
    <xsl:sequence select="
        if ($v castable as xs:dateTime) then
          (if (exists(timezone-from-dateTime(xs:dateTime($v)))) then $v else $v || 'Z')
        else if ($v castable as xs:date and string-length($v) eq 10) then $v || 'T00:00:00Z'
        else ()"/>
  </xsl:function>

  <xsl:function name="f:dec" as="xs:decimal?">
    <xsl:param name="n" as="item()?"/>
    <xsl:variable name="v" select="normalize-space(string($n))"/>
    <xsl:sequence select="if ($v castable as xs:decimal) then xs:decimal($v) else ()"/>
  </xsl:function>

  <xsl:function name="f:sum" as="xs:decimal?">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="values" select="$nodes ! f:dec(.)"/>
    <xsl:sequence select="if (count($values) eq count($nodes)) then sum($values, 0.0) else ()"/>
  </xsl:function>

  <xsl:function name="f:text" as="xs:string?">
    <xsl:param name="items" as="item()*"/>
    <xsl:sequence select="($items ! normalize-space(string(.)))[. ne ''][1]"/>
  </xsl:function>

  <xsl:function name="f:clip" as="xs:string">
    <xsl:param name="n" as="item()"/>
    <xsl:variable name="v" select="normalize-space(string($n))"/>
    <xsl:sequence select="if (string-length($v) gt 40) then substring($v, 1, 40) || '…' else $v"/>
  </xsl:function>

  <xsl:function name="f:s" as="map(*)?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:variable name="v" select="f:text($value)"/>
    <xsl:sequence select="if (exists($v)) then map{$key: $v} else ()"/>
  </xsl:function>

  <xsl:function name="f:v" as="map(*)?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="value" as="item()?"/>
    <xsl:sequence select="if (exists($value)) then map{$key: $value} else ()"/>
  </xsl:function>

  <xsl:function name="f:error" as="map(*)">
    <xsl:param name="at" as="node()"/>
    <xsl:param name="message" as="xs:string"/>
    <xsl:sequence select="map{'field': f:path($at), 'message': $message}"/>
  </xsl:function>

  <!-- XPath of a node as the document spells it: /cXML/Request/OrderRequest/ItemOut[2]/@quantity -->
  <xsl:function name="f:path" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="string-join($n/ancestor-or-self::node()[not(self::document-node())] ! f:step(.), '')"/>
  </xsl:function>

  <xsl:function name="f:step" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:choose>
      <xsl:when test="$n instance of attribute()">
        <xsl:sequence select="'/@' || name($n)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="same" select="$n/../*[node-name(.) eq node-name($n)]"/>
        <xsl:sequence select="'/' || name($n) || (if (count($same) gt 1)
            then '[' || (count($n/preceding-sibling::*[node-name(.) eq node-name($n)]) + 1) || ']' else '')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

</xsl:stylesheet>
