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
    country = Country/@isoCountryCode (else Address/@isoCountryCode; UK, reserved by ISO 3166 for
    the United Kingdom, -> GB, named in provenance); phone = Phone/TelephoneNumber as
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
  - line allowances and charges = ItemOut/ItemDetail/UnitPrice/Modifications/Modification. UnitPrice/Money is
    the net price and the modifications say how it was made from the gross one, per unit: the canonical line
    carries the gross price (unitPrice = the first Modification's OriginalPrice, else, when every modification
    is an amount, UnitPrice + deductions − costs) and each Modification as a line discount (AdditionalDeduction)
    or charge (AdditionalCost) of its per-unit amount × quantity, to the cent, so that lineTotal stays
    quantity × UnitPrice: DeductionAmount or AdditionalCost/Money as given; DeductionPercent or
    Percentage/@percent of the Modification's OriginalPrice (else the gross price), kept as percent with
    baseAmount = that price × quantity; DeductedPrice = OriginalPrice − DeductedPrice (it needs the OriginalPrice).
    reason = ModificationDetail/@name (first 40 characters), description = ModificationDetail/Description.
    Modification/@level (cascading modifications, cXML 1.2 DTD): the modifications of the lowest level are taken on
    the gross price, those of level n on the price after every lower level (a Modification's own OriginalPrice, when
    given above the lowest level, must be that price within a cent, else an error naming both figures; a level that is
    not a whole number from 1 is an error); without @level all are level 1. A Modification's own Tax is not
    interpreted. Reconciled: OriginalPrice − deductions + costs must give UnitPrice/Money (within a cent),
    else an error at that UnitPrice/Money naming both figures; a percentage or DeductedPrice without any
    OriginalPrice, a DeductedPrice above its OriginalPrice, and a Modification without an amount are errors.
  - totals: cXML's OrderRequestHeader/Total is the sum of the items without tax and shipping, so
    subtotal = Total/Money (the validator then checks it against the lines: not adjusted). With header
    Total/Modifications (order-level allowances and charges), Total/Money is the amount after them: subtotal =
    the sum of the line totals; each AdditionalDeduction is an order discount and each AdditionalCost an
    order charge, computed as for the lines on the first OriginalPrice (else the items' sum) with the same
    reason and description; Total/Money must equal items − deductions + costs and the first OriginalPrice
    the items' sum (within a cent), else an error at that element naming both figures.
    TotalAllowances / TotalCharges (Money): the cXML 1.2 DTDs define them as the sums of all allowances and of all
    charges and use them in invoices and service entries, not in OrderRequest; a sender that adds them to
    OrderRequestHeader or ItemOut is read so: beside Modifications they are control sums, reconciled within a cent
    (ItemOut: against that line's UnitPrice/Modifications deductions / costs; header: against all line and header
    deductions / costs, TotalCharges also accepted as costs + Shipping), else an error at that Money naming both
    figures. Without any Modification they are themselves the allowance and the charge (reason TotalAllowances /
    TotalCharges): on an ItemOut a line discount / charge on top of quantity × UnitPrice (lineTotal = quantity ×
    UnitPrice − TotalAllowances + TotalCharges); on the header (when no line has any) an order discount / charge
    with Total/Money the amount after them, as for Total/Modifications (else an error at Total/Money naming both
    figures). A negative TotalAllowances or TotalCharges is an error.
    discount = the sum of the header deductions (0 without them: cXML has no other order discount);
    shipping = header Shipping/Money (else the sum of ItemOut/Shipping) + the header costs; when there are
    header costs the order's charges list them and the Shipping (reason SHIPPING, description
    Shipping/Description) so that the charges add up to totals.shipping. tax = header Tax/Money (else the
    sum of ItemOut/Tax). The header Tax (Shipping) is reconciled with the ItemOut Tax (Shipping) amounts when
    every ItemOut carries one and they are not all zero (a header-only amount with zero lines is not a
    contradiction). grandTotal = subtotal − discount + shipping + tax. Amounts are never adjusted to make a
    self-contradictory document pass.
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

    <xsl:variable name="line-sum" select="if (exists($lines) and count($line-totals) eq count($lines)) then sum($line-totals) else ()"/>
    <!-- header Total/Modifications: order-level allowances (AdditionalDeduction) and charges (AdditionalCost) on the
         items' sum; Total/Money is then the amount after them -->
    <xsl:variable name="hmods" select="$h/Total/Modifications/Modification"/>
    <xsl:variable name="line-adjusted" select="exists($items[ItemDetail/UnitPrice/Modifications/Modification
        or TotalAllowances or TotalCharges])"/>
    <!-- OrderRequestHeader TotalAllowances/TotalCharges are the order's own sums of its allowances and charges; when no
         Modification (header or line) states them, they are themselves the order-level allowance and charge -->
    <xsl:variable name="totals-as-adjustments" select="empty($hmods) and not($line-adjusted)
        and exists($h/(TotalAllowances | TotalCharges))"/>
    <xsl:variable name="header-adjustments" as="map(*)*" select="if ($totals-as-adjustments) then f:total-adjustments($h)
        else if (exists($line-sum)) then $hmods ! f:modification(., $line-sum, 1.0) else ()"/>
    <xsl:variable name="after-header" select="exists($hmods) or exists($header-adjustments)"/>
    <xsl:variable name="order-discounts" select="$header-adjustments[?deduction] ! map:remove(., 'deduction')"/>
    <xsl:variable name="order-costs" select="$header-adjustments[not(?deduction)] ! map:remove(., 'deduction')"/>
    <xsl:variable name="subtotal" select="if ($after-header) then $line-sum else f:dec($h/Total/Money)"/>
    <xsl:variable name="freight" select="if ($h/Shipping/Money) then f:dec($h/Shipping/Money)
        else if ($items/Shipping/Money) then f:sum($items/Shipping/Money) else 0.0"/>
    <xsl:variable name="shipping" select="if (exists($freight)) then $freight + sum($order-costs?amount, 0.0) else ()"/>
    <xsl:variable name="tax" select="if ($h/Tax/Money) then f:dec($h/Tax/Money)
        else if ($items/Tax/Money) then f:sum($items/Tax/Money) else 0.0"/>
    <xsl:variable name="discount" select="sum($order-discounts?amount, 0.0)"/>
    <xsl:variable name="grand" select="if (exists($subtotal) and exists($shipping) and exists($tax))
        then $subtotal - $discount + $shipping + $tax else ()"/>
    <!-- the order's charges list holds every order-level charge (the canonical totals.shipping is their sum), so
         with header costs the freight (Shipping) is listed too -->
    <xsl:variable name="charges" select="if (exists($order-costs)) then ($order-costs,
        if ($freight gt 0) then map:merge((map{'amount': $freight, 'reason': 'SHIPPING'},
            f:s('description', $h/Shipping/Description ! substring(normalize-space(.), 1, 200)))) else ()) else ()"/>

    <xsl:variable name="payment-ref" select="$h/Payment/PaymentReference"/>
    <xsl:variable name="days" select="normalize-space(($h/PaymentTerm/@payInNumberOfDays)[1])"/>
    <xsl:variable name="payment" select="if ($payment-ref) then map:merge((map{'method': 'prepaid'},
            f:s('reference', (($payment-ref/IdReference[@domain = 'charge_id'], $payment-ref/IdReference)/@identifier))))
        else map:merge((map{'method': 'invoice'},
            f:s('terms', if ($days castable as xs:nonNegativeInteger) then 'NET' || xs:integer($days) else ())))"/>

    <xsl:variable name="notes" select="string-join((
        $h/Comments ! f:comment(.),
        $items ! (for $c in Comments ! f:comment(.) return 'Line ' || f:line-no(.) || ': ' || $c)), '&#10;')"/>

    <xsl:variable name="all-mods" select="$hmods, $items/ItemDetail/UnitPrice/Modifications/Modification"/>
    <xsl:variable name="money" select="$h/(Total | Shipping | Tax | TotalAllowances | TotalCharges)/Money,
        $items/(ItemDetail/UnitPrice | Tax | Shipping | TotalAllowances | TotalCharges)/Money,
        $all-mods/(OriginalPrice | AdditionalCost | AdditionalDeduction/DeductionAmount | AdditionalDeduction/DeductedPrice)/Money"/>
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
      <!-- allowances and charges (Modifications) and the document's own totals -->
      <xsl:for-each select="$items[ItemDetail/UnitPrice/Modifications/Modification]
          [empty(f:gross(ItemDetail/UnitPrice/Modifications/Modification, f:dec(ItemDetail/UnitPrice/Money)))]">
        <xsl:sequence select="f:error(ItemDetail/UnitPrice/Modifications/Modification[1], 'gives no OriginalPrice, and a'
            || ' percentage or DeductedPrice cannot be applied without one: the price before the modification is unknown')"/>
      </xsl:for-each>
      <xsl:if test="$hmods and empty($line-sum)">
        <xsl:sequence select="f:error($hmods[1], 'cannot be applied: the items have no total to apply it to')"/>
      </xsl:if>
      <xsl:for-each select="$items">
        <xsl:variable name="m" select="ItemDetail/UnitPrice/Modifications/Modification"/>
        <xsl:variable name="net" select="f:dec(ItemDetail/UnitPrice/Money)"/>
        <xsl:variable name="gross" select="if ($m) then f:gross($m, $net) else ()"/>
        <xsl:if test="exists($gross) and exists($net)">
          <xsl:variable name="deductions" select="$m[AdditionalDeduction] ! f:mod-amount(., $gross)"/>
          <xsl:variable name="costs" select="$m[AdditionalCost] ! f:mod-amount(., $gross)"/>
          <xsl:variable name="computed" select="$gross - sum($deductions, 0.0) + sum($costs, 0.0)"/>
          <xsl:if test="count(($deductions, $costs)) eq count($m) and abs($computed - $net) gt 0.01">
            <xsl:sequence select="f:error(ItemDetail/UnitPrice/Money, 'is ' || $net || ' but OriginalPrice ' || $gross
                || ' less its deductions (' || sum($deductions, 0.0) || ') plus its costs (' || sum($costs, 0.0)
                || ') per unit (UnitPrice/Modifications) is ' || $computed)"/>
          </xsl:if>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="$all-mods[AdditionalDeduction/DeductedPrice][empty(OriginalPrice)]">
        <xsl:sequence select="f:error(AdditionalDeduction/DeductedPrice, 'needs the Modification''s OriginalPrice: the'
            || ' price it was deducted from is not stated')"/>
      </xsl:for-each>
      <xsl:for-each select="$all-mods/AdditionalDeduction/DeductedPrice/Money[f:dec(.) gt f:dec(ancestor::Modification/OriginalPrice/Money)]">
        <xsl:sequence select="f:error(., 'is higher than the OriginalPrice it deducts from: a deduction cannot raise the price')"/>
      </xsl:for-each>
      <xsl:for-each select="$all-mods[empty(AdditionalDeduction/(DeductionAmount | DeductionPercent | DeductedPrice)
          | AdditionalCost/(Money | Percentage))]">
        <xsl:sequence select="f:error(., 'has neither an AdditionalDeduction nor an AdditionalCost amount or percentage:'
            || ' what it changes is unknown')"/>
      </xsl:for-each>
      <xsl:if test="$after-header and exists($line-sum)">
        <xsl:sequence select="f:reconcile($h/Total/Money, $line-sum - $discount + sum($order-costs?amount, 0.0),
            'the items (' || $line-sum || ') less the header ' || (if ($totals-as-adjustments) then 'TotalAllowances ('
            else 'deductions (') || $discount || ') plus the header ' || (if ($totals-as-adjustments) then 'TotalCharges ('
            else 'costs (') || sum($order-costs?amount, 0.0) || ') is')"/>
        <xsl:sequence select="f:reconcile(f:first-level($hmods)[1]/OriginalPrice/Money, $line-sum, 'the items add up to')"/>
      </xsl:if>
      <!-- Modification@level: a Modification above the lowest level applies to the price after the lower levels; its own
           OriginalPrice must be that price -->
      <xsl:for-each select="$all-mods[OriginalPrice/Money][f:level(.) gt min(../Modification ! f:level(.))]">
        <xsl:variable name="m" select="."/>
        <xsl:variable name="start" select="if (ancestor::Total) then $line-sum
            else f:gross(../Modification, f:dec(ancestor::UnitPrice/Money))"/>
        <xsl:variable name="running" select="if (exists($start)) then f:running-price($m, $start) else ()"/>
        <xsl:sequence select="f:reconcile(OriginalPrice/Money, $running, 'the price after the modifications below level '
            || f:level($m) || ' (Modification@level cascades) is')"/>
      </xsl:for-each>
      <xsl:for-each select="$all-mods/@level[not(normalize-space() castable as xs:positiveInteger)]">
        <xsl:sequence select="f:error(., 'is ''' || f:clip(.) || '''; a Modification level is a whole number from 1 (the'
            || ' modifications of level 1 apply to the original price, those of level n to the price after level n-1)')"/>
      </xsl:for-each>
      <!-- TotalAllowances/TotalCharges beside Modifications: the document's own sums, reconciled -->
      <xsl:for-each select="$items">
        <xsl:variable name="i" select="position()"/>
        <xsl:if test="ItemDetail/UnitPrice/Modifications/Modification">
          <xsl:sequence select="f:reconcile(TotalAllowances/Money, sum(f:adjustments($lines[$i], 'discounts')?amount, 0.0),
              'the line''s UnitPrice/Modifications deductions add up to')"/>
          <xsl:sequence select="f:reconcile(TotalCharges/Money, sum(f:adjustments($lines[$i], 'charges')?amount, 0.0),
              'the line''s UnitPrice/Modifications costs add up to')"/>
        </xsl:if>
      </xsl:for-each>
      <xsl:if test="not($totals-as-adjustments) and exists($line-sum)">
        <xsl:variable name="all-discounts" select="sum(($lines ! f:adjustments(., 'discounts')?amount, $order-discounts?amount), 0.0)"/>
        <xsl:variable name="all-costs" select="sum(($lines ! f:adjustments(., 'charges')?amount, $order-costs?amount), 0.0)"/>
        <xsl:sequence select="f:reconcile($h/TotalAllowances/Money, $all-discounts,
            'the allowances of the lines and the header (Modifications, ItemOut TotalAllowances) add up to')"/>
        <xsl:if test="not(exists($freight) and abs(f:dec($h/TotalCharges/Money) - ($all-costs + $freight)) le 0.01)">
          <xsl:sequence select="f:reconcile($h/TotalCharges/Money, $all-costs,
              'the charges of the lines and the header (Modifications, ItemOut TotalCharges; with Shipping ' || $all-costs
              || ' + ' || $freight || ') add up to')"/>
        </xsl:if>
      </xsl:if>
      <xsl:for-each select="($h, $items)/(TotalAllowances | TotalCharges)/Money[f:dec(.) lt 0]">
        <xsl:sequence select="f:error(., 'is negative; ' || name(..) || ' is a sum of amounts (an allowance is not a negative charge)')"/>
      </xsl:for-each>
      <xsl:if test="$h/Tax/Money and empty($items[not(Tax/Money)]) and f:sum($items/Tax/Money) ne 0">
        <xsl:sequence select="f:reconcile($h/Tax/Money, f:sum($items/Tax/Money), 'the ItemOut Tax amounts add up to')"/>
      </xsl:if>
      <xsl:if test="$h/Shipping/Money and empty($items[not(Shipping/Money)]) and f:sum($items/Shipping/Money) ne 0">
        <xsl:sequence select="f:reconcile($h/Shipping/Money, f:sum($items/Shipping/Money), 'the ItemOut Shipping amounts add up to')"/>
      </xsl:if>
      <xsl:for-each select="($all-mods/(AdditionalDeduction/DeductionPercent | AdditionalCost/Percentage)/@percent)
          [not(normalize-space() castable as xs:decimal)]">
        <xsl:sequence select="f:error(., 'is not a number: ''' || f:clip(.) || '''')"/>
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
        if (exists($order-discounts)) then map{'discounts': array{ $order-discounts }} else (),
        if (exists($charges)) then map{'charges': array{ $charges }} else (),
        map{'totals': map:merge((
            f:v('subtotal', $subtotal), f:v('discount', $discount), f:v('shipping', $shipping),
            f:v('tax', $tax), f:v('grandTotal', $grand)))},
        map{'payment': $payment},
        f:s('shippingMethod', $h/Shipping/Description),
        f:s('notes', $notes),
        let $p := map:merge((
            f:s('/customer/name', $customer-name?from),
            ($ship, ($items/ShipTo/Address)[1])[1][upper-case(f:text((PostalAddress/Country/@isoCountryCode, @isoCountryCode))) eq 'UK']
                ! map{'/shipTo/country': f:path((PostalAddress/Country/@isoCountryCode, @isoCountryCode)[1]) || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB'},
            $bill-complete[upper-case(f:text((PostalAddress/Country/@isoCountryCode, @isoCountryCode))) eq 'UK']
                ! map{'/billTo/country': f:path((PostalAddress/Country/@isoCountryCode, @isoCountryCode)[1]) || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB'},
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
    <!-- UnitPrice/Modifications: UnitPrice/Money is the net price; the modifications say how it was derived from
         the gross price (OriginalPrice). The canonical line carries the gross price and the modifications as line
         discounts and charges, each per unit × quantity, so that the line total stays quantity × net price. -->
    <xsl:variable name="mods" select="$item/ItemDetail/UnitPrice/Modifications/Modification"/>
    <xsl:variable name="gross" select="if ($mods) then f:gross($mods, $price) else $price"/>
    <xsl:variable name="adjustments" as="map(*)*" select="if (empty($mods)) then f:total-adjustments($item)
        else if (exists($gross) and exists($quantity)) then $mods ! f:modification(., $gross, $quantity * $factor) else ()"/>
    <!-- ItemOut TotalAllowances/TotalCharges without UnitPrice/Modifications: the UnitPrice is the price before them -->
    <xsl:variable name="net-of-totals" select="if (empty($mods)) then sum($adjustments[not(?deduction)]?amount, 0.0)
        - sum($adjustments[?deduction]?amount, 0.0) else 0.0"/>
    <xsl:variable name="description" select="$item/ItemDetail/Description"/>
    <xsl:sequence select="map:merge((
        map{'lineNo': f:line-no($item)},
        f:s('sku', $item/ItemID/SupplierPartID),
        f:s('description', string-join(($description/ShortName, $description/text())/normalize-space()[. ne ''], ' ')),
        f:v('quantity', $quantity),
        f:s('uom', upper-case(normalize-space($item/ItemDetail/UnitOfMeasure))),
        f:v('unitPrice', if (exists($gross) and ($pbq or $mods)) then round($gross * $factor, 6) else $gross),
        f:v('lineTotal', if (exists($quantity) and exists($price))
            then (if ($pbq) then round($quantity * $price * $factor, 2) else $quantity * $price) + $net-of-totals else ()),
        if (exists($adjustments[?deduction])) then map{'discounts': array{ $adjustments[?deduction] ! map:remove(., 'deduction') }} else (),
        if (exists($adjustments[not(?deduction)])) then map{'charges': array{ $adjustments[not(?deduction)] ! map:remove(., 'deduction') }} else (),
        if ($pbq) then map{'source': map:merge((f:v('price', $gross), f:v('basisQuantity', f:dec($pbq/@quantity)),
            f:s('basisUnit', upper-case(normalize-space($pbq/UnitOfMeasure)))))} else (),
        f:v('taxAmount', f:dec($item/Tax/Money)),
        f:s('buyerSku', $item/ItemID/BuyerPartID)
        ))"/>
  </xsl:function>

  <!-- ============================================================== modifications (allowances and charges) -->

  <!-- The price before the modifications: the first Modification's OriginalPrice, else (amounts only) the net price
       plus the deductions less the costs. Empty when it cannot be known (a percentage or DeductedPrice without any
       OriginalPrice): f:order reports that. -->
  <xsl:function name="f:gross" as="xs:decimal?">
    <xsl:param name="mods" as="element(Modification)*"/>
    <xsl:param name="net" as="xs:decimal?"/>
    <xsl:variable name="original" select="f:dec(f:first-level($mods)[1]/OriginalPrice/Money)"/>
    <xsl:sequence select="if (exists($original)) then $original
        else if (exists($net) and empty($mods[AdditionalDeduction/(DeductionPercent | DeductedPrice) or AdditionalCost/Percentage])
                 and (every $m in $mods satisfies exists(f:dec($m/(AdditionalDeduction/DeductionAmount | AdditionalCost)/Money))))
        then $net + sum($mods/AdditionalDeduction/DeductionAmount/Money ! f:dec(.), 0.0) - sum($mods/AdditionalCost/Money ! f:dec(.), 0.0)
        else ()"/>
  </xsl:function>

  <!-- The amount one Modification takes off (deduction) or adds per unit of $base (its own OriginalPrice, else the
       gross price); empty when it cannot be computed. -->
  <xsl:function name="f:mod-amount" as="xs:decimal?">
    <xsl:param name="m" as="element(Modification)"/>
    <xsl:param name="gross" as="xs:decimal"/>
    <xsl:variable name="base" select="(f:dec($m/OriginalPrice/Money), f:running-price($m, $gross))[1]"/>
    <xsl:variable name="d" select="$m/AdditionalDeduction"/>
    <xsl:variable name="c" select="$m/AdditionalCost"/>
    <xsl:sequence select="
        if ($d/DeductionAmount) then f:dec($d/DeductionAmount/Money)
        else if ($d/DeductionPercent) then f:dec($d/DeductionPercent/@percent) ! ($base * . div 100)
        else if ($d/DeductedPrice) then f:dec($d/DeductedPrice/Money) ! ($base - .)
        else if ($c/Money) then f:dec($c/Money)
        else if ($c/Percentage) then f:dec($c/Percentage/@percent) ! ($base * . div 100)
        else ()"/>
  </xsl:function>

  <!-- One Modification as a canonical adjustment for $units units of $gross (per unit): amount (to the cent),
       reason = ModificationDetail/@name, description = ModificationDetail/Description, percent and baseAmount when it
       is a percentage; 'deduction' says whether it is a discount (removed before output). -->
  <xsl:function name="f:modification" as="map(*)?">
    <xsl:param name="m" as="element(Modification)"/>
    <xsl:param name="gross" as="xs:decimal"/>
    <xsl:param name="units" as="xs:decimal"/>
    <xsl:variable name="per-unit" select="f:mod-amount($m, $gross)"/>
    <xsl:variable name="percent" select="f:dec(($m/AdditionalDeduction/DeductionPercent/@percent, $m/AdditionalCost/Percentage/@percent)[1])"/>
    <xsl:variable name="base" select="(f:dec($m/OriginalPrice/Money), f:running-price($m, $gross))[1]"/>
    <xsl:if test="exists($per-unit)">
      <xsl:sequence select="map:merge((
          map{'deduction': exists($m/AdditionalDeduction), 'amount': round(abs($per-unit * $units), 2)},
          f:s('reason', f:text($m/ModificationDetail/@name) ! substring(., 1, 40)),
          f:s('description', f:text($m/ModificationDetail/Description) ! substring(., 1, 200)),
          if (exists($percent)) then map{'percent': $percent, 'baseAmount': round($base * $units, 2)} else ()))"/>
    </xsl:if>
  </xsl:function>

  <!-- Modification@level (cascading modifications): 1 when absent (or not a whole number: reported in f:order) -->
  <xsl:function name="f:level" as="xs:integer">
    <xsl:param name="m" as="element(Modification)"/>
    <xsl:variable name="v" select="normalize-space($m/@level)"/>
    <xsl:sequence select="if ($v castable as xs:positiveInteger) then xs:integer($v) else 1"/>
  </xsl:function>

  <!-- the Modifications of the lowest level among $mods, in document order -->
  <xsl:function name="f:first-level" as="element(Modification)*">
    <xsl:param name="mods" as="element(Modification)*"/>
    <xsl:sequence select="if (empty($mods)) then () else $mods[f:level(.) eq min($mods ! f:level(.))]"/>
  </xsl:function>

  <!-- The price a Modification applies to when it states no OriginalPrice: $gross after every sibling Modification of
       a lower level (their deductions taken off, their costs added); $gross itself at the lowest level. Empty when a
       lower Modification cannot be computed. -->
  <xsl:function name="f:running-price" as="xs:decimal?">
    <xsl:param name="m" as="element(Modification)"/>
    <xsl:param name="gross" as="xs:decimal"/>
    <xsl:variable name="lower" select="$m/../Modification[f:level(.) lt f:level($m)]"/>
    <xsl:variable name="amounts" select="$lower ! f:mod-amount(., $gross)"/>
    <xsl:sequence select="if (count($amounts) ne count($lower)) then ()
        else $gross - sum($lower[AdditionalDeduction] ! f:mod-amount(., $gross), 0.0)
                    + sum($lower[AdditionalCost] ! f:mod-amount(., $gross), 0.0)"/>
  </xsl:function>

  <!-- TotalAllowances / TotalCharges of $owner (OrderRequestHeader or ItemOut) as an allowance and a charge, for when
       no Modification states them (a zero amount gives none) -->
  <xsl:function name="f:total-adjustments" as="map(*)*">
    <xsl:param name="owner" as="element()"/>
    <xsl:for-each select="$owner/(TotalAllowances | TotalCharges)[f:dec(Money) gt 0]">
      <xsl:sequence select="map{'deduction': exists(self::TotalAllowances), 'amount': f:dec(Money), 'reason': name(.)}"/>
    </xsl:for-each>
  </xsl:function>

  <!-- the discounts or charges of a mapped line, as maps -->
  <xsl:function name="f:adjustments" as="map(*)*">
    <xsl:param name="line" as="map(*)"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="if (map:contains($line, $key)) then array:flatten($line($key)) else ()"/>
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
          f:s('country', upper-case(f:text(($p/Country/@isoCountryCode, $a/@isoCountryCode))) ! (if (. eq 'UK') then 'GB' else .)),
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

  <!-- "is X but <what> Y" when a document total contradicts what the hub computes (beyond one cent) -->
  <xsl:function name="f:reconcile" as="map(*)?">
    <xsl:param name="stated" as="element()?"/>
    <xsl:param name="computed" as="xs:decimal?"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="value" select="f:dec($stated)"/>
    <xsl:if test="exists($value) and exists($computed) and abs($value - $computed) gt 0.01">
      <xsl:sequence select="f:error($stated, 'is ' || $value || ' but ' || $what || ' ' || $computed)"/>
    </xsl:if>
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
