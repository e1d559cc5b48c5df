<?xml version="1.0" encoding="UTF-8"?>
<!--
  OASIS UBL 2.0 / 2.1 Order (also PEPPOL and CEN BII profiles) → OrderHub canonical order.

  Output contract (read by io.orderhub.format.xml.XsltOrderMapper): JSON
    {"orders": [{"documentId": "...", "order": {canonical order}, "errors": [{"field", "message"}]}],
     "documentErrors": [{"field", "message"}]}
  "field" in errors is an XPath into the source document, e.g.
  /Order/cac:OrderLine[2]/cac:LineItem/cbc:Quantity. An order with errors is rejected.

  Numbers: every amount and quantity is cast to xs:decimal here (never xs:double) and written by the
  JSON serializer as a plain decimal literal; Java reads it back as an exact BigDecimal. The value is
  exact; the sender's trailing zeros are not kept (xs:decimal 100.00 is written as 100). A value that is
  not a decimal number is left out of the order and reported as an error with its XPath.

  Mapping decisions:
  - externalId = cbc:ID; orderDate = cbc:IssueDate + cbc:IssueTime (00:00:00 when absent), with the
    offset the time (else the date) carries, Z when the document gives none.
  - currency = cbc:DocumentCurrencyCode, else (UBL 2.0 often has none) the currencyID of the payable
    amount or of the first amount. Every amount used must carry that currency: a currencyID that
    differs is an error (a mixed-currency order is not converted).
  - customer = BuyerCustomerParty: externalId = SupplierAssignedAccountID (our number for the buyer),
    else CustomerAssignedAccountID, else the first PartyIdentification/ID, else the EndpointID (Peppol: a
    GLN or other electronic address); name = Contact/Name, else the
    Person's name, else the party name, else (a buyer identified only by an id, e.g. a GLN) the EndpointID,
    else the first PartyIdentification/ID; company = PartyName (or legal name); vatId = PartyTaxScheme/CompanyID.
  - billTo = AccountingCustomerParty when present, else BuyerCustomerParty, from its PostalAddress
    (left out when the party has no postal address, and when the address is incomplete: no name, street,
    city, postal code or country; the bill-to is optional and must not sink the order).
  - provenance: a value taken by a fallback above (the customer's name from an id, a bill-to left out) is
    named in the order's provenance, keyed by its JSON pointer.
  - shipTo = the header Delivery's DeliveryLocation/Address (UBL 2.1) or DeliveryAddress (UBL 2.0);
    name = DeliveryParty contact, else the buyer's DeliveryContact, else the DeliveryParty name, else the
    customer name; company = DeliveryParty name, else the buyer's company. No fallback to the buyer's
    postal address: an order without a delivery address is rejected.
  - Several ship-to addresses: a line-level Delivery address that differs from the order's one is
    rejected with an error at that line's address (one order ships to one address; send one order per
    address). Line addresses equal to the header one are fine; without a header address, the line
    addresses are used when they are all the same.
  - Address lines: line1 = StreetName + BuildingNumber (else the first AddressLine/Line, else the
    Postbox); line2 = BuildingName, AdditionalStreetName, remaining AddressLine/Line, Department;
    region = CountrySubentity; country = Country/IdentificationCode, upper-cased (UK, reserved by ISO 3166 for the
    United Kingdom, -> GB, named in provenance).
  - lines: lineNo = LineItem/ID when it is a positive integer, else the line's position; sku =
    SellersItemIdentification/ID, else StandardItemIdentification/ID (GTIN); buyerSku =
    BuyersItemIdentification/ID; description = Item/Name, else Item/Description; uom =
    Quantity/@unitCode upper-cased (left out when absent: the canonical default EA applies);
    unitPrice = PriceAmount ÷ BaseQuantity (the price per ordered unit, rounded half-up to 6 decimals when the
    division is not exact; a BaseQuantity/@unitCode other than the Quantity's, or other than a piece code
    EA/C62/H87/PCE/NAR when the Quantity has no unitCode, is an error: units are not converted); PriceAmount is the net price (a cac:Price/cac:AllowanceCharge only explains how it was derived
    from a gross price and is not applied again). When a BaseQuantity is given, line source keeps the
    document's price, basis quantity and unit and LineExtensionAmount. Line cac:AllowanceCharge →
    line discounts (ChargeIndicator false) and charges (true): amount = Amount, reason =
    AllowanceChargeReasonCode, description = AllowanceChargeReason, baseAmount = BaseAmount, percent =
    MultiplierFactorNumeric (a percentage as in Peppol, or a factor as in plain UBL: the reading that
    gives Amount is taken). lineTotal = LineExtensionAmount (= quantity × unitPrice − line allowances +
    line charges, checked by the validator); only when the document has none it is computed that way,
    exactly, from PriceAmount ÷ BaseQuantity (rounded half-up to 2 decimals when a BaseQuantity other than 1
    divides the price). taxAmount = TotalTaxAmount.
  - totals: subtotal = AnticipatedMonetaryTotal/LineExtensionAmount (else the sum of line totals);
    header AllowanceCharge with ChargeIndicator false → order discounts, totals.discount = their sum (else
    AllowanceTotalAmount); ChargeIndicator true → order charges, totals.shipping = their sum (freight and
    every other header charge: the canonical totals have one place for charges, the charges list says what
    each is; else ChargeTotalAmount); tax = sum of TaxTotal/TaxAmount (0 when absent); grandTotal =
    PayableAmount (computed only when absent) plus PrepaidAmount (an amount paid in advance is part of the
    order's value; it is said in the notes and the provenance of grandTotal); a PayableRoundingAmount becomes an order charge (or, when
    negative, a discount) with reason ROUNDING, counted in shipping (or discount). The document's own totals
    are reconciled: AllowanceTotalAmount and ChargeTotalAmount against the header allowances and charges, TaxExclusiveAmount against
    LineExtensionAmount − allowances + charges, TaxInclusiveAmount against TaxExclusiveAmount + tax; a
    difference over one cent is an error at that element naming both figures. Amounts are never adjusted to
    make a self-contradictory document pass: the validator names any other sum that does not add up.
  - payment: UBL orders are B2B → invoice; terms = PaymentTerms/Note when it fits (≤ 40 characters,
    e.g. NET30), longer terms text goes to notes; reference = PaymentMeans/PaymentID. A PaymentMeans
    carrying a CardAccount refuses the order (card details are never accepted or echoed).
  - notes = the header cbc:Note elements, one per line.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:array="http://www.w3.org/2005/xpath-functions/array"
    xmlns:f="urn:orderhub:xslt:functions"
    xmlns:o="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    exclude-result-prefixes="#all">

  <xsl:output method="json" indent="yes"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*"/>
  </xsl:template>

  <xsl:template match="/*" priority="-1">
    <xsl:sequence select="map{'orders': array{}, 'documentErrors': array{
        map{'field': f:path(.), 'message': 'is not a UBL Order (root element Order in namespace urn:oasis:names:specification:ubl:schema:xsd:Order-2)'}}}"/>
  </xsl:template>

  <xsl:template match="/o:Order">
    <xsl:sequence select="map{'orders': array{ f:order(.) }, 'documentErrors': array{}}"/>
  </xsl:template>

  <!-- ============================================================== order -->

  <xsl:function name="f:order" as="map(*)">
    <xsl:param name="o" as="element(o:Order)"/>

    <xsl:variable name="currency" as="xs:string?" select="f:text(($o/cbc:DocumentCurrencyCode,
        $o/cac:AnticipatedMonetaryTotal/cbc:PayableAmount/@currencyID, ($o//@currencyID)[1]))"/>
    <xsl:variable name="buyer" select="$o/cac:BuyerCustomerParty"/>
    <xsl:variable name="accounting" select="($o/cac:AccountingCustomerParty, $buyer)[1]"/>
    <xsl:variable name="delivery" select="$o/cac:Delivery[f:delivery-address(.)][1]"/>
    <xsl:variable name="header-address" select="f:delivery-address($delivery)"/>
    <xsl:variable name="line-addresses" select="$o/cac:OrderLine/cac:LineItem/cac:Delivery/f:delivery-address(.)"/>
    <xsl:variable name="ship-address" select="($header-address, $line-addresses)[1]"/>
    <xsl:variable name="ship-key" select="f:address-key($ship-address)"/>

    <xsl:variable name="customer" select="f:customer($buyer/cac:Party, $buyer)"/>
    <xsl:variable name="lines" as="map(*)*" select="$o/cac:OrderLine/cac:LineItem/f:line(.)"/>
    <xsl:variable name="line-totals" select="for $l in $lines return $l?lineTotal"/>

    <xsl:variable name="allowances" select="$o/cac:AllowanceCharge[f:is-charge(cbc:ChargeIndicator) eq false()]"/>
    <xsl:variable name="charges" select="$o/cac:AllowanceCharge[f:is-charge(cbc:ChargeIndicator)]"/>
    <xsl:variable name="total" select="$o/cac:AnticipatedMonetaryTotal"/>
    <xsl:variable name="subtotal" select="if ($total/cbc:LineExtensionAmount) then f:dec($total/cbc:LineExtensionAmount)
        else if (exists($lines) and count($line-totals) eq count($lines)) then sum($line-totals) else ()"/>
    <xsl:variable name="discount" select="if ($allowances) then f:sum($allowances/cbc:Amount)
        else if ($total/cbc:AllowanceTotalAmount) then f:dec($total/cbc:AllowanceTotalAmount) else 0.0"/>
    <xsl:variable name="shipping" select="if ($charges) then f:sum($charges/cbc:Amount)
        else if ($total/cbc:ChargeTotalAmount) then f:dec($total/cbc:ChargeTotalAmount) else 0.0"/>
    <xsl:variable name="tax" select="if ($o/cac:TaxTotal/cbc:TaxAmount) then f:sum($o/cac:TaxTotal/cbc:TaxAmount) else 0.0"/>
    <xsl:variable name="tax-exclusive" select="if (exists(($subtotal, $discount, $shipping)[3])) then $subtotal - $discount + $shipping else ()"/>
    <!-- PayableRoundingAmount (Peppol): the amount added to make PayableAmount payable; kept as an order charge
         (positive) or discount (negative) so that the canonical totals add up to PayableAmount -->
    <xsl:variable name="rounding" select="f:dec($total/cbc:PayableRoundingAmount)[. ne 0]"/>
    <xsl:variable name="rounding-adjustment" select="$rounding ! map{'amount': abs(.), 'reason': 'ROUNDING',
        'description': 'PayableRoundingAmount'}"/>
    <!-- PrepaidAmount: paid in advance, so PayableAmount is the order's value less it; the order's grand total is the
         value ordered (PayableAmount + PrepaidAmount, which the canonical totals add up to) and the prepayment is
         said in the notes and the provenance, so nobody charges or invoices it a second time unknowingly -->
    <xsl:variable name="prepaid" select="f:dec($total/cbc:PrepaidAmount)[. ne 0]"/>
    <xsl:variable name="grand" select="if ($total/cbc:PayableAmount) then f:dec($total/cbc:PayableAmount) + ($prepaid, 0.0)[1]
        else if (exists(($subtotal, $discount, $shipping, $tax)[4])) then $subtotal - $discount + $shipping + $tax else ()"/>

    <xsl:variable name="terms" select="f:text($o/cac:PaymentTerms/cbc:Note)"/>
    <xsl:variable name="notes" select="string-join((
        $o/cbc:Note/normalize-space()[. ne ''],
        $prepaid ! ('Prepaid: ' || string(.) || ' ' || $currency || ' (AnticipatedMonetaryTotal/PrepaidAmount); payable '
            || string(f:dec($total/cbc:PayableAmount)) || ' ' || $currency),
        if (string-length($terms) gt 40) then 'Payment terms: ' || $terms else ()), '&#10;')"/>

    <xsl:variable name="amount-nodes" select="$o/cac:AllowanceCharge/(cbc:Amount | cbc:BaseAmount), $o/cac:TaxTotal/cbc:TaxAmount,
        $total/(cbc:LineExtensionAmount | cbc:AllowanceTotalAmount | cbc:ChargeTotalAmount | cbc:PayableAmount
                | cbc:TaxExclusiveAmount | cbc:TaxInclusiveAmount | cbc:PayableRoundingAmount | cbc:PrepaidAmount),
        $o/cac:OrderLine/cac:LineItem/(cbc:LineExtensionAmount | cbc:TotalTaxAmount | cac:Price/cbc:PriceAmount
                | cac:AllowanceCharge/cbc:Amount | cac:AllowanceCharge/cbc:BaseAmount)"/>
    <xsl:variable name="number-nodes" select="$amount-nodes, $o/cac:OrderLine/cac:LineItem/(cbc:Quantity | cac:Price/cbc:BaseQuantity
        | cac:AllowanceCharge/cbc:MultiplierFactorNumeric), $o/cac:AllowanceCharge/cbc:MultiplierFactorNumeric"/>

    <xsl:variable name="errors" as="map(*)*">
      <xsl:if test="empty($o/cac:OrderLine)">
        <xsl:sequence select="f:error($o, 'has no cac:OrderLine: an order needs at least one line')"/>
      </xsl:if>
      <xsl:for-each select="$number-nodes[normalize-space() ne ''][not(normalize-space() castable as xs:decimal)]">
        <xsl:sequence select="f:error(., 'is not a number: ''' || f:clip(.) || '''')"/>
      </xsl:for-each>
      <xsl:for-each select="$amount-nodes/@currencyID[exists($currency)][normalize-space() ne $currency]">
        <xsl:sequence select="f:error(., 'is ' || f:clip(.) || ' but the order currency is ' || $currency
            || '; one order is in one currency')"/>
      </xsl:for-each>
      <xsl:if test="$o/cbc:IssueDate[not(f:date-time(..))]">
        <xsl:sequence select="f:error(($o/cbc:IssueTime, $o/cbc:IssueDate)[1],
            'is not a valid date/time (cbc:IssueDate YYYY-MM-DD, cbc:IssueTime hh:mm:ss with optional offset)')"/>
      </xsl:if>
      <xsl:if test="empty($ship-address)">
        <xsl:sequence select="f:error(($o/cac:Delivery, $o)[1],
            'has no delivery address (cac:Delivery/cac:DeliveryLocation/cac:Address or cac:DeliveryAddress)')"/>
      </xsl:if>
      <xsl:for-each select="$line-addresses[f:address-key(.) ne $ship-key]">
        <xsl:sequence select="f:error(., 'is a different delivery address than the order''s; one order ships to one address: send one order per delivery address')"/>
      </xsl:for-each>
      <!-- the document's own totals (AnticipatedMonetaryTotal) against its allowances, charges and tax -->
      <xsl:if test="$allowances">
        <xsl:sequence select="f:reconcile($total/cbc:AllowanceTotalAmount, f:sum($allowances/cbc:Amount),
            'the header allowances (cac:AllowanceCharge, ChargeIndicator false) add up to')"/>
      </xsl:if>
      <xsl:if test="$charges">
        <xsl:sequence select="f:reconcile($total/cbc:ChargeTotalAmount, f:sum($charges/cbc:Amount),
            'the header charges (cac:AllowanceCharge, ChargeIndicator true) add up to')"/>
      </xsl:if>
      <xsl:sequence select="f:reconcile($total/cbc:TaxExclusiveAmount, $tax-exclusive,
          'LineExtensionAmount − allowances + charges is')"/>
      <xsl:sequence select="f:reconcile($total/cbc:TaxInclusiveAmount,
          (f:dec($total/cbc:TaxExclusiveAmount), $tax-exclusive)[1] + $tax, 'TaxExclusiveAmount + TaxTotal is')"/>
      <xsl:for-each select="$o/cac:OrderLine/cac:LineItem[cac:Price/cbc:BaseQuantity/@unitCode]
          [upper-case(normalize-space(cac:Price/cbc:BaseQuantity/@unitCode)) ne upper-case(normalize-space((cbc:Quantity/@unitCode, 'EA')[1]))]
          [not(empty(cbc:Quantity/@unitCode) and upper-case(normalize-space(cac:Price/cbc:BaseQuantity/@unitCode)) = ('EA', 'C62', 'H87', 'PCE', 'NAR'))]">
        <xsl:sequence select="f:error(cac:Price/cbc:BaseQuantity/@unitCode, 'is ' || f:clip(cac:Price/cbc:BaseQuantity/@unitCode)
            || ' but the line is ordered in ' || (cbc:Quantity/@unitCode ! f:clip(.), 'pieces (cbc:Quantity without unitCode)')[1]
            || '; the hub does not convert between units, so the price per ordered unit is unknown')"/>
      </xsl:for-each>
      <xsl:for-each select="$o/cac:PaymentMeans/cac:CardAccount">
        <xsl:sequence select="f:error(., 'carries payment card details; card details are never accepted: pay by invoice or through a payment gateway')"/>
      </xsl:for-each>
    </xsl:variable>

    <xsl:variable name="billing" select="f:address($accounting/cac:Party/cac:PostalAddress,
        f:party-person($accounting), f:party-name($accounting/cac:Party), $accounting/cac:Party/cac:Contact)"/>
    <xsl:variable name="billTo" select="$billing[every $k in ('name', 'line1', 'city', 'postalCode', 'country')
        satisfies exists(?($k))]"/>
    <xsl:variable name="provenance" select="map:merge((
        if (exists($customer?name) and empty((f:party-person($buyer), f:party-name($buyer/cac:Party))))
        then map{'/customer/name': f:path($buyer/cac:Party) || ': the buyer''s '
            || (if (f:text($buyer/cac:Party/cbc:EndpointID)) then 'EndpointID' else 'PartyIdentification/ID')
            || ' (the document gives no name for the buyer)'} else (),
        if (exists($prepaid) and $total/cbc:PayableAmount) then map{'/totals/grandTotal': f:path($total)
            || ': PayableAmount + PrepaidAmount (' || string($prepaid) || ' paid in advance; payable '
            || string(f:dec($total/cbc:PayableAmount)) || ')'} else (),
        $billTo ! $accounting/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode[upper-case(normalize-space()) eq 'UK']
            ! map{'/billTo/country': f:path(.) || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB'},
        $ship-address/cac:Country/cbc:IdentificationCode[upper-case(normalize-space()) eq 'UK']
            ! map{'/shipTo/country': f:path(.) || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB'},
        if (exists($billing) and empty($billTo)) then map{'/billTo': f:path($accounting/cac:Party/cac:PostalAddress)
            || ': left out, the address is incomplete (name, street, city, postal code and country are needed);'
            || ' the bill-to is optional'} else ()))"/>
    <xsl:variable name="order" select="map:merge((
        f:s('externalId', $o/cbc:ID),
        f:v('orderDate', f:date-time($o)),
        f:s('currency', $currency),
        f:v('customer', $customer),
        f:v('billTo', $billTo),
        f:v('shipTo', f:address($ship-address,
            f:text(($delivery/cac:DeliveryParty/cac:Contact/cbc:Name, $buyer/cac:DeliveryContact/cbc:Name,
                    $delivery/cac:DeliveryParty/cac:PartyName/cbc:Name, $customer?name)),
            f:text(($delivery/cac:DeliveryParty/cac:PartyName/cbc:Name, $customer?company)),
            ($delivery/cac:DeliveryParty/cac:Contact[cbc:Telephone or cbc:ElectronicMail], $buyer/cac:DeliveryContact)[1])),
        map{'lines': array{ $lines }},
        if ($allowances or $rounding lt 0) then map{'discounts': array{ $allowances/f:adjustment(.),
            $rounding-adjustment[$rounding lt 0] }} else (),
        if ($charges or $rounding gt 0) then map{'charges': array{ $charges/f:adjustment(.),
            $rounding-adjustment[$rounding gt 0] }} else (),
        map{'totals': map:merge((
            f:v('subtotal', $subtotal), f:v('discount', $discount + (if ($rounding lt 0) then abs($rounding) else 0)),
            f:v('shipping', $shipping + (if ($rounding gt 0) then $rounding else 0)),
            f:v('tax', $tax), f:v('grandTotal', $grand)))},
        map{'payment': map:merge((map{'method': 'invoice'},
            f:s('terms', if (string-length($terms) le 40) then $terms else ()),
            f:s('reference', f:text($o/cac:PaymentMeans/cbc:PaymentID))))},
        f:s('notes', $notes),
        if (map:size($provenance) gt 0) then map{'provenance': $provenance} else ()
        ))"/>

    <xsl:sequence select="map{
        'documentId': string($o/cbc:ID),
        'order': $order,
        'errors': array{ $errors }}"/>
  </xsl:function>

  <!-- ============================================================== lines -->

  <xsl:function name="f:line" as="map(*)">
    <xsl:param name="li" as="element(cac:LineItem)"/>
    <xsl:variable name="position" select="count($li/../preceding-sibling::cac:OrderLine) + 1"/>
    <xsl:variable name="id" select="normalize-space($li/cbc:ID)"/>
    <xsl:variable name="quantity" select="f:dec($li/cbc:Quantity)"/>
    <xsl:variable name="price" select="f:dec($li/cac:Price/cbc:PriceAmount)"/>
    <xsl:variable name="base" select="f:dec($li/cac:Price/cbc:BaseQuantity)"/>
    <xsl:variable name="unit-price" select="if (exists($price) and exists($base) and $base ne 0)
        then f:round6($price div $base) else $price"/>
    <xsl:variable name="discounts" select="$li/cac:AllowanceCharge[f:is-charge(cbc:ChargeIndicator) eq false()]/f:adjustment(.)"/>
    <xsl:variable name="charges" select="$li/cac:AllowanceCharge[f:is-charge(cbc:ChargeIndicator)]/f:adjustment(.)"/>
    <xsl:variable name="line-total" select="if ($li/cbc:LineExtensionAmount) then f:dec($li/cbc:LineExtensionAmount)
        else if (exists($quantity) and exists($price) and exists($base) and $base ne 0 and $base ne 1)
        then round(($quantity * $price div $base) - sum($discounts?amount, 0.0) + sum($charges?amount, 0.0), 2)
        else if (exists($quantity) and exists($price))
        then $quantity * $price - sum($discounts?amount, 0.0) + sum($charges?amount, 0.0) else ()"/>
    <xsl:sequence select="map:merge((
        map{'lineNo': if ($id castable as xs:positiveInteger) then xs:integer($id) else $position},
        f:s('sku', f:text(($li/cac:Item/cac:SellersItemIdentification/cbc:ID,
                           $li/cac:Item/cac:StandardItemIdentification/cbc:ID))),
        f:s('description', f:text(($li/cac:Item/cbc:Name, $li/cac:Item/cbc:Description))),
        f:v('quantity', $quantity),
        f:s('uom', upper-case(normalize-space($li/cbc:Quantity/@unitCode))),
        f:v('unitPrice', $unit-price),
        f:v('lineTotal', $line-total),
        f:v('taxAmount', f:dec($li/cbc:TotalTaxAmount)),
        f:s('buyerSku', f:text($li/cac:Item/cac:BuyersItemIdentification/cbc:ID)),
        if (exists($discounts)) then map{'discounts': array{ $discounts }} else (),
        if (exists($charges)) then map{'charges': array{ $charges }} else (),
        if (exists($base)) then map{'source': map:merge((f:v('price', $price), f:v('basisQuantity', $base),
            f:s('basisUnit', $li/cac:Price/cbc:BaseQuantity/@unitCode), f:v('lineAmount', f:dec($li/cbc:LineExtensionAmount))))}
        else ()
        ))"/>
  </xsl:function>

  <!-- ============================================================== parties -->

  <xsl:function name="f:customer" as="map(*)">
    <xsl:param name="party" as="element(cac:Party)?"/>
    <xsl:param name="customer-party" as="element()?"/>
    <xsl:sequence select="map:merge((
        f:s('externalId', f:text(($customer-party/cbc:SupplierAssignedAccountID, $customer-party/cbc:CustomerAssignedAccountID,
                                  $party/cac:PartyIdentification/cbc:ID, $party/cbc:EndpointID))),
        f:s('name', (f:party-person($customer-party), f:party-name($party), f:party-id($party))[1]),
        f:s('email', f:text($party/cac:Contact/cbc:ElectronicMail)),
        f:s('phone', f:text($party/cac:Contact/cbc:Telephone)),
        f:s('company', f:party-name($party)),
        f:s('vatId', f:text($party/cac:PartyTaxScheme/cbc:CompanyID))
        ))"/>
  </xsl:function>

  <!-- a party known only by its id: the EndpointID, else the first PartyIdentification/ID -->
  <xsl:function name="f:party-id" as="xs:string?">
    <xsl:param name="party" as="element(cac:Party)?"/>
    <xsl:sequence select="f:text(($party/cbc:EndpointID, $party/cac:PartyIdentification/cbc:ID))"/>
  </xsl:function>

  <!-- the person acting for a customer party: its contact's name, else the Person -->
  <xsl:function name="f:party-person" as="xs:string?">
    <xsl:param name="customer-party" as="element()?"/>
    <xsl:variable name="person" select="$customer-party/cac:Party/cac:Person"/>
    <xsl:sequence select="(f:text($customer-party/cac:Party/cac:Contact/cbc:Name),
        f:text(string-join(($person/cbc:FirstName, $person/cbc:MiddleName, $person/cbc:FamilyName)/normalize-space()[. ne ''], ' ')))[1]"/>
  </xsl:function>

  <xsl:function name="f:party-name" as="xs:string?">
    <xsl:param name="party" as="element(cac:Party)?"/>
    <xsl:sequence select="f:text(($party/cac:PartyName/cbc:Name, $party/cac:PartyLegalEntity/cbc:RegistrationName))"/>
  </xsl:function>

  <!-- ============================================================== addresses -->

  <xsl:function name="f:delivery-address" as="element()?">
    <xsl:param name="delivery" as="element(cac:Delivery)?"/>
    <xsl:sequence select="($delivery/cac:DeliveryLocation/cac:Address, $delivery/cac:DeliveryAddress)[1]"/>
  </xsl:function>

  <xsl:function name="f:address" as="map(*)?">
    <xsl:param name="a" as="element()?"/>
    <xsl:param name="name" as="xs:string?"/>
    <xsl:param name="company" as="xs:string?"/>
    <xsl:param name="contact" as="element()?"/>
    <xsl:if test="exists($a)">
      <xsl:variable name="street" select="f:text(string-join(($a/cbc:StreetName, $a/cbc:BuildingNumber)/normalize-space()[. ne ''], ' '))"/>
      <xsl:variable name="lines" select="$a/cac:AddressLine/cbc:Line/normalize-space()[. ne '']"/>
      <xsl:variable name="line1" select="($street, $lines[1], $a/cbc:Postbox/normalize-space()[. ne ''] ! ('PO Box ' || .))[1]"/>
      <xsl:sequence select="map:merge((
          f:s('name', ($name, $company)[1]),
          f:s('company', $company),
          f:s('line1', $line1),
          f:s('line2', string-join(($a/cbc:BuildingName/normalize-space(), $a/cbc:AdditionalStreetName/normalize-space(),
                                    $lines[. ne $line1], $a/cbc:Department/normalize-space())[. ne ''], ', ')),
          f:s('city', $a/cbc:CityName),
          f:s('region', $a/cbc:CountrySubentity),
          f:s('postalCode', $a/cbc:PostalZone),
          f:s('country', upper-case(normalize-space($a/cac:Country/cbc:IdentificationCode)) ! (if (. eq 'UK') then 'GB' else .)),
          f:s('phone', f:text($contact/cbc:Telephone)),
          f:s('email', f:text($contact/cbc:ElectronicMail))
          ))"/>
    </xsl:if>
  </xsl:function>

  <!-- what makes two delivery addresses the same place -->
  <xsl:function name="f:address-key" as="xs:string">
    <xsl:param name="a" as="element()?"/>
    <xsl:sequence select="string-join(($a/cbc:StreetName, $a/cbc:BuildingNumber, $a/cbc:BuildingName,
        $a/cbc:AdditionalStreetName, $a/cac:AddressLine/cbc:Line, $a/cbc:Postbox, $a/cbc:CityName, $a/cbc:PostalZone,
        $a/cac:Country/cbc:IdentificationCode) ! lower-case(normalize-space()), '|')"/>
  </xsl:function>

  <!-- ============================================================== values -->

  <xsl:function name="f:date-time" as="xs:string?">
    <xsl:param name="o" as="element(o:Order)"/>
    <xsl:variable name="date" select="normalize-space($o/cbc:IssueDate)"/>
    <xsl:variable name="time" select="(normalize-space($o/cbc:IssueTime)[. ne ''], '00:00:00')[1]"/>
    <xsl:if test="$date castable as xs:date and $time castable as xs:time">
      <xsl:variable name="d" select="xs:date($date)"/>
      <xsl:variable name="t" select="xs:time($time)"/>
      <!-- the offset of the time, else of the date, else UTC -->
      <xsl:variable name="offset" select="(timezone-from-time($t), timezone-from-date($d), xs:dayTimeDuration('PT0S'))[1]"/>
      <xsl:variable name="local" select="dateTime(adjust-date-to-timezone($d, ()), adjust-time-to-timezone($t, ()))"/>
      <xsl:sequence select="string(adjust-dateTime-to-timezone($local, $offset))"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:is-charge" as="xs:boolean">
    <xsl:param name="indicator" as="element()?"/>
    <xsl:sequence select="normalize-space($indicator) = ('true', '1')"/>
  </xsl:function>

  <xsl:function name="f:dec" as="xs:decimal?">
    <xsl:param name="n" as="item()?"/>
    <xsl:variable name="v" select="normalize-space(string($n))"/>
    <xsl:sequence select="if ($v castable as xs:decimal) then xs:decimal($v) else ()"/>
  </xsl:function>

  <!-- the sum of decimal values; empty when one of them is not a number (reported as an error) -->
  <xsl:function name="f:sum" as="xs:decimal?">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="values" select="$nodes ! f:dec(.)"/>
    <xsl:sequence select="if (count($values) eq count($nodes)) then sum($values, 0.0) else ()"/>
  </xsl:function>

  <xsl:function name="f:round6" as="xs:decimal">
    <xsl:param name="d" as="xs:decimal"/>
    <xsl:sequence select="round($d, 6)"/>
  </xsl:function>

  <!-- an AllowanceCharge as a canonical discount or charge. MultiplierFactorNumeric is a percentage in
       Peppol (20 = 20 %) and a factor in plain UBL (0.20): the reading that gives Amount is taken; when
       neither does, the percentage is kept as sent and the validator names the contradiction. -->
  <xsl:function name="f:adjustment" as="map(*)">
    <xsl:param name="ac" as="element(cac:AllowanceCharge)"/>
    <xsl:variable name="amount" select="f:dec($ac/cbc:Amount)"/>
    <xsl:variable name="base" select="f:dec($ac/cbc:BaseAmount)"/>
    <xsl:variable name="m" select="f:dec($ac/cbc:MultiplierFactorNumeric)"/>
    <xsl:variable name="percent" select="if (exists($m) and exists($base) and exists($amount)
            and abs($base * $m - $amount) le 0.01 and abs($base * $m div 100 - $amount) gt 0.01) then $m * 100 else $m"/>
    <xsl:sequence select="map:merge((
        f:v('amount', ($amount, if (exists($base) and exists($m)) then round($base * $m div 100, 2) else ())[1]),
        f:s('reason', $ac/cbc:AllowanceChargeReasonCode),
        f:s('description', $ac/cbc:AllowanceChargeReason),
        f:v('percent', $percent),
        f:v('baseAmount', $base)))"/>
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

  <!-- the first non-blank value, space-normalized -->
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

  <!-- XPath of a node as the document spells it: /Order/cac:OrderLine[2]/cac:LineItem/cbc:Quantity -->
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
