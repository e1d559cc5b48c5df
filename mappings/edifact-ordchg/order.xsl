<?xml version="1.0" encoding="UTF-8"?>
<!--
  EDIFACT ORDCHG (purchase order change request, D96A and later, EANCOM) -> a change of the order the hub holds
  (DESIGN §10, document purpose). Edit freely: the hub compiles this file once and again when it changes.

  INPUT: one UNH..UNT message as built by io.orderhub.format.edi.EdiMapping (same shape as for ORDERS:
  <s t="LIN" n="9" i="5" e1="1" e2="3" e3="4000862141404" e3.2="EN"/>; eK element K, eK.J component J > 1).

  OUTPUT: map { 'order': map {...}, 'errors': array {...} }, where the order names the order to act on and what to
  do with it: { externalId, purpose, orderDate?, lines: [ { lineNo, change: ADD|CHANGE|DELETE, sku?, buyerSku?,
  description?, quantity?, uom?, unitPrice? } ] }. The hub merges the lines into the stored order
  (io.orderhub.order.LineChange), checks the result as it checks a new order, and treats it as a replacement
  (io.orderhub.order.OrderAmendments: while CREATED, BACKORDERED or CONFIRMED and unpaid; refused with the reason
  otherwise).

  RULES AND FALLBACKS (documented choices):
  - externalId = BGM 1004 (element 2: the number of the order to change); orderDate = DTM+137 when given (102,
    203 or 204).
  - purpose = BGM 1225 (element 3; UNCL 1225): 1 cancellation -> CANCEL (the whole order); 9 original (an
    original change request), 4 change and 5 replace -> CHANGE (line by line as below); 7 duplicate, 31 copy,
    43 additional transmission -> DUPLICATE. No 1225 is CHANGE. Any other code is an error naming it.
  - lines: one per LIN. lineNo = LIN 1082 (must be a positive whole number: it names the stored line). change =
    LIN 1229 (action request, element 2; UNCL 1229): 1 added -> ADD; 2 deleted -> DELETE; 3 changed -> CHANGE;
    4 no action -> the line is left out. A LIN without 1229, or with another code, is an error.
    sku = LIN item number (C212), else PIA ids of types SA, EN, IB, UP, SRV, MF, VN; buyerSku = PIA IN or BP;
    description = IMD 7008; quantity = QTY+21 (the new ordered quantity, not a difference), uom = its 6411;
    unitPrice = PRI+AAA (net), else PRI+AAB. A value not sent stays as stored. Quantity, price and product are
    required for an added line (checked by the hub).
  - a change that names no LIN (other than a cancellation or a copy) is an error.
  - header ALC groups (ALC + PCD/MOA/RTE/..., before the first LIN), as in the ORDERS mapping: ALC 5463 A -> the
    order's discounts, C -> its charges (freight and every other charge); amount = MOA+204, 23 or 8; percent =
    PCD+1/2/3 (a percentage without an amount is sent as a percent only: the hub computes it on the changed
    order's subtotal, or on MOA+25 when the group gives that base); reason = ALC 7161 (element 5), description =
    its 7160 texts. ALC+N and settlement 4471 1/3/4/5 change no amount; another 4471 than 2/6, an ALC without
    amount or percentage, or another 5463 is an error at that segment. Line-level ALC in a change is an error
    (a changed line's allowances are restated by sending the whole order again: ORDERS with BGM 1225 5).
    A change that sends header allowances (charges) restates them all: they replace the stored order's discounts
    (charges) and totals.discount (shipping) becomes their sum; without any, the stored ones stay.
  - tax = MOA+124 (else MOA+176) of the summary (after UNS): it replaces the stored tax; else the stored tax stays.
  - MOA+86 (message total), else MOA+128 (total amount), of the summary is the document's own total: the hub checks
    that the changed order's grand total is it, within a cent, and refuses the change naming this segment and both
    figures otherwise (provenance /totals/grandTotal says where it is). It is never taken as the total.
  - OUTPUT additions: discounts?, charges? (arrays of {amount?, percent?, baseAmount?, reason?, description?}),
    totals: {tax?, grandTotal?}, provenance: {'/totals/grandTotal': 'segment n (MOA) element 1 component 2'}.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:orderhub:edi"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="purposes" select="map { '9': 'CHANGE', '1': 'CANCEL', '4': 'CHANGE', '5': 'CHANGE',
      '7': 'DUPLICATE', '31': 'DUPLICATE', '43': 'DUPLICATE' }"/>

  <xsl:variable name="actions" select="map { '1': 'ADD', '2': 'DELETE', '3': 'CHANGE', '4': '' }"/>

  <xsl:function name="f:at" as="xs:string">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:sequence select="'segment ' || $s/@n || ' (' || $s/@t || ')'
        || (if ($element gt 0) then ' element ' || $element else '')
        || (if ($component gt 1) then ' component ' || $component else '')"/>
  </xsl:function>

  <xsl:function name="f:v" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:variable name="name" select="'e' || $element || (if ($component gt 1) then '.' || $component else '')"/>
    <xsl:sequence select="$s/@*[local-name() = $name]/normalize-space()[. ne '']"/>
  </xsl:function>

  <xsl:function name="f:num" as="xs:decimal?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="component" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, $element, $component)"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="translate($v, ',', '.') castable as xs:decimal">
        <xsl:sequence select="xs:decimal(translate($v, ',', '.'))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:number'), f:at($s, $element, $component) || '|''' || $v || ''' is not a number')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:date" as="xs:string?">
    <xsl:param name="dtm" as="element(s)?"/>
    <xsl:variable name="v" select="f:v($dtm, 1, 2)"/>
    <xsl:variable name="format" select="(f:v($dtm, 1, 3), '102')[1]"/>
    <xsl:variable name="iso" select="
        if ($format = '102' and matches($v, '^\d{8}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3T00:00:00Z')
        else if ($format = '203' and matches($v, '^\d{12}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$', '$1-$2-$3T$4:$5:00Z')
        else if ($format = '204' and matches($v, '^\d{14}$')) then replace($v, '^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$', '$1-$2-$3T$4:$5:$6Z')
        else ()"/>
    <xsl:choose>
      <xsl:when test="empty($dtm)"/>
      <xsl:when test="exists($iso) and $iso castable as xs:dateTime">
        <xsl:sequence select="$iso"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:date'), f:at($dtm, 1, 2) || '|''' || $v || ''' is not a date in format ' || $format)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- one header ALC group as map { 'kind': 'A'|'C'|'error', ... }; () for ALC+N or one settled outside the order
       amount (4471 1, 3, 4, 5). A percentage without an amount is kept as a percent (with MOA+25 as its base when
       given): the hub applies it to the changed order. -->
  <xsl:function name="f:alc" as="map(*)?">
    <xsl:param name="alc" as="element(s)"/>
    <xsl:variable name="stop" select="$alc/following-sibling::s[not(@t = ('ALI', 'DTM', 'QTY', 'RNG', 'PCD', 'MOA', 'RTE', 'TAX'))][1]"/>
    <xsl:variable name="group" select="$alc/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
    <xsl:variable name="kind" select="f:v($alc, 1, 1) ! upper-case(.)"/>
    <xsl:variable name="settlement" select="f:v($alc, 3, 1)"/>
    <xsl:variable name="moa" select="(for $q in ('204', '23', '8') return $group[@t = 'MOA'][@e1 = $q])[1]"/>
    <xsl:variable name="amount" select="f:num($moa, 1, 2)"/>
    <xsl:variable name="percent" select="f:num($group[@t = 'PCD'][@e1 = ('1', '2', '3')][1], 1, 2)"/>
    <xsl:variable name="basis" select="f:num($group[@t = 'MOA'][@e1 = '25'][1], 1, 2)"/>
    <xsl:variable name="description" select="string-join((f:v($alc, 5, 4), f:v($alc, 5, 5)), ' ')[. ne '']"/>
    <xsl:choose>
      <xsl:when test="not($kind = ('A', 'C', 'N'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 1, 1), 'message': '''' || $kind
            || ''' is not A (allowance), C (charge) or N (no allowance or charge)' } }"/>
      </xsl:when>
      <xsl:when test="$kind = 'N' or $settlement = ('1', '3', '4', '5')"/>
      <xsl:when test="exists($settlement) and not($settlement = ('2', '6'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 3, 1), 'message': 'settlement ''' || $settlement
            || ''' is not one the hub applies (2 off invoice, 6 paid by customer; 1, 3, 4, 5 are settled outside the order)' } }"/>
      </xsl:when>
      <xsl:when test="empty($amount) and empty($percent)">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($alc, 0, 0), 'message': 'the ' || (if ($kind = 'A') then 'allowance' else 'charge')
            || ' has no amount (MOA+204, 23 or 8) and no percentage (PCD)' } }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="computed" select="if (exists($percent) and exists($basis)) then round($basis * $percent div 100, 2) else ()"/>
        <xsl:sequence select="map { 'kind': $kind, 'adjustment': map:merge((
            map { 'amount': ($amount, $computed)[1] }[exists(($amount, $computed))],
            map { 'percent': $percent }[exists($percent)],
            map { 'baseAmount': $basis }[exists($percent) and exists($basis)],
            map { 'reason': f:v($alc, 5, 1) }[exists(f:v($alc, 5, 1))],
            map { 'description': $description }[exists($description)])) }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="segments" select="/transaction/s"/>
    <xsl:variable name="header" select="$segments[empty(preceding-sibling::s[@t = 'LIN']) and not(@t = 'LIN')]"/>
    <xsl:variable name="bgm" select="$segments[@t = 'BGM'][1]"/>
    <xsl:variable name="purpose" select="if (f:v($bgm, 3, 1)) then $purposes(f:v($bgm, 3, 1)) else 'CHANGE'"/>
    <xsl:variable name="lines" as="map(*)*">
      <xsl:for-each select="$segments[@t = 'LIN'][$actions(string(f:v(., 2, 1))) ne '']">
        <xsl:variable name="lin" select="."/>
        <xsl:variable name="stop" select="($lin/following-sibling::s[@t = ('LIN', 'UNS', 'UNT')])[1]"/>
        <xsl:variable name="group" select="$lin/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
        <xsl:variable name="ids" select="for $pia in $group[@t = 'PIA'], $k in 2 to 6 return
            if (f:v($pia, $k, 1)) then map { 'id': f:v($pia, $k, 1), 'type': string(f:v($pia, $k, 2)) } else ()"/>
        <xsl:variable name="buyerSku" select="$ids[?type = ('IN', 'BP')][1]?id"/>
        <xsl:variable name="sku" select="(f:v($lin, 3, 1), (for $t in ('SA', 'EN', 'IB', 'UP', 'SRV', 'MF', 'VN') return $ids[?type = $t]?id)[1])[1]"/>
        <xsl:variable name="qty" select="$group[@t = 'QTY'][@e1 = '21'][1]"/>
        <xsl:variable name="price" select="($group[@t = 'PRI'][@e1 = 'AAA'], $group[@t = 'PRI'][@e1 = 'AAB'])[1]"/>
        <xsl:variable name="lineNo" select="f:v($lin, 1, 1)"/>
        <xsl:sequence select="map {
            'lineNo': if ($lineNo castable as xs:integer and xs:integer($lineNo) gt 0) then xs:integer($lineNo) else (),
            'change': $actions(f:v($lin, 2, 1)),
            'sku': ($sku, $buyerSku)[1],
            'buyerSku': if ($sku) then $buyerSku else (),
            'description': string-join($group[@t = 'IMD']/(f:v(., 3, 4), f:v(., 3, 5)), ' ')[. ne ''],
            'quantity': f:num($qty, 1, 2),
            'uom': f:v($qty, 1, 3) ! upper-case(.),
            'unitPrice': f:num($price, 1, 2)
          }"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="header-alcs" select="$header[@t = 'ALC'] ! f:alc(.)"/>
    <xsl:variable name="summary" select="$segments[preceding-sibling::s[@t = 'UNS']]"/>
    <xsl:variable name="tax-moa" select="($summary[@t = 'MOA'][@e1 = '124'], $summary[@t = 'MOA'][@e1 = '176'])[1]"/>
    <xsl:variable name="total-moa" select="($summary[@t = 'MOA'][@e1 = '86'], $summary[@t = 'MOA'][@e1 = '128'])[1]"/>
    <xsl:variable name="errors" as="map(*)*">
      <xsl:sequence select="$header-alcs[?kind = 'error']?error"/>
      <xsl:for-each select="$segments[@t = 'ALC'][preceding-sibling::s[@t = 'LIN']][empty(preceding-sibling::s[@t = 'UNS'])]">
        <xsl:sequence select="map { 'field': f:at(., 0, 0), 'message': 'is an allowance or charge of a line in a change;'
            || ' the hub applies line allowances and charges only with the whole order: send it again as a replacement (ORDERS, BGM 1225 5)' }"/>
      </xsl:for-each>
      <xsl:if test="empty($bgm)">
        <xsl:sequence select="map { 'field': 'message ' || /transaction/@number, 'message': 'has no BGM segment' }"/>
      </xsl:if>
      <xsl:if test="$bgm and empty($purpose)">
        <xsl:sequence select="map { 'field': f:at($bgm, 3, 0), 'message': 'message function ''' || f:v($bgm, 3, 1)
            || ''' does not ask for a change; accepted: 9 original, 1 cancellation, 4 change, 5 replace, 7 duplicate, 31 copy, 43 additional transmission' }"/>
      </xsl:if>
      <xsl:for-each select="$segments[@t = 'LIN'][not(map:contains($actions, string(f:v(., 2, 1))))]">
        <xsl:sequence select="map { 'field': f:at(., 2, 0), 'message': 'action request ''' || f:v(., 2, 1)
            || ''' is not one the hub acts on; accepted: 1 added, 2 deleted, 3 changed, 4 no action' }"/>
      </xsl:for-each>
      <xsl:for-each select="$segments[@t = 'LIN'][not(f:v(., 1, 1) castable as xs:integer and xs:integer(f:v(., 1, 1)) gt 0)]">
        <xsl:sequence select="map { 'field': f:at(., 1, 0), 'message': 'must be the number of the order line to change' }"/>
      </xsl:for-each>
      <xsl:if test="$purpose = 'CHANGE' and empty($segments[@t = 'LIN'])">
        <xsl:sequence select="map { 'field': 'message ' || /transaction/@number,
            'message': 'is a change with no LIN line to add, change or delete' }"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="map {
        'order': map:merge((map {
          'externalId': f:v($bgm, 2, 1),
          'purpose': $purpose,
          'orderDate': f:date($header[@t = 'DTM'][@e1 = '137'][1]),
          'lines': array { $lines }
        },
          if (exists($header-alcs[?kind = 'A'])) then map { 'discounts': array { $header-alcs[?kind = 'A']?adjustment } } else (),
          if (exists($header-alcs[?kind = 'C'])) then map { 'charges': array { $header-alcs[?kind = 'C']?adjustment } } else (),
          if ($tax-moa or $total-moa) then map { 'totals': map:merge((
              if ($tax-moa) then map { 'tax': f:num($tax-moa, 1, 2) } else (),
              if ($total-moa) then map { 'grandTotal': f:num($total-moa, 1, 2) } else ())) } else (),
          if ($total-moa) then map { 'provenance': map { '/totals/grandTotal': f:at($total-moa, 1, 2) } } else ()
        )),
        'errors': array { $errors }
      }"/>
  </xsl:template>
</xsl:stylesheet>
