<?xml version="1.0" encoding="UTF-8"?>
<!--
  X12 860 purchase order change -> a change of the order the hub holds (DESIGN §10, document purpose). Edit
  freely: the hub compiles this file once and again when it changes; no Java changes are needed.

  INPUT: one ST..SE transaction set as built by io.orderhub.format.edi.EdiMapping (same shape as for the 850:
  <transaction ...><s t="BCH" n="4" i="2" e1="04" e2="SA" e3="PO123" e6="20240301"/> ...; t tag, n position in
  the interchange, eK element K, eK.J component J > 1).

  OUTPUT: map { 'order': map {...}, 'errors': array { map {'field', 'message'} } }, where the order is not a whole
  canonical order but names the order to act on and what to do with it:
    { externalId, purpose, orderDate?, lines: [ { lineNo, change: ADD|CHANGE|DELETE, sku?, buyerSku?,
      description?, quantity?, uom?, unitPrice? } ] }
  The hub merges the lines into the stored order (io.orderhub.order.LineChange), checks the result as it checks
  a new order, and then treats it as a replacement (io.orderhub.order.OrderAmendments: allowed while the order is
  CREATED, BACKORDERED or CONFIRMED and unpaid; stock is re-reserved; refused with the reason otherwise).

  RULES AND FALLBACKS (documented choices):
  - externalId = BCH03 (the PO number of the order to change); orderDate = BCH06 (CCYYMMDD) when given.
  - purpose = BCH01 (X12 code list 353): 01 cancellation -> CANCEL (the whole order; POC lines are not needed);
    00 original (an original change request), 04 change and 05 replace -> CHANGE (line by line as below);
    07 duplicate, 22 information copy -> DUPLICATE. Any other code is an error naming it.
  - lines: one per POC. lineNo = POC01 (must be a positive whole number: it names the stored line). change =
    POC02 (code list 670): AI add item -> ADD; DI delete item -> DELETE; CA changes to line items, CT change of
    dates, MU multiple changes, PC price change, PQ price and quantity change, QD quantity decrease, QI quantity
    increase, RZ replace all values -> CHANGE; NC no change -> the line is left out. Any other code is an error.
    quantity = POC03 (the quantity ordered after the change, not a difference), uom = POC05 (X12 codes
    translated as in the 850 mapping), unitPrice = POC06; sku = product id VP, VN, UP, EN, UK, MG or ST;
    buyerSku = BP, IN, CB or SK (pairs POC08/09 .. POC26/27); description = PID05. A value not sent stays as
    stored. Quantity, price and product are required for an added line (checked by the hub).
  - a change that names no POC line (other than a cancellation or a copy) is an error.
  - header SAC (the segments before the first POC), as in the 850 mapping: SAC01 A -> the order's discounts,
    C -> its charges (freight and every other charge); amount = SAC05 (N2: 2 implied decimals; a value written
    with a point is read as written), reason = SAC02, description = SAC15, percent = SAC07. A percentage without
    SAC05 is sent as a percent only: the hub computes it on the changed order's subtotal (this mapping does not
    know the stored lines). SAC01 N and SAC12 01/03/04/05 (settled outside the order) change no amount; another
    SAC12 than 02/06, a SAC without SAC05 and SAC07, or another SAC01 is an error at that element.
    A change that sends header allowances (charges) restates them all: they replace the stored order's
    discounts (charges) and totals.discount (shipping) becomes their sum; without any, the stored ones stay.
  - tax = the sum of the header TXI02 when a TXI is sent (it replaces the stored tax); else the stored tax stays.
  - AMT*TT (total transaction amount) is the document's own total: the hub checks that the changed order's grand
    total (lines - discount + shipping + tax) is it, within a cent, and refuses the change naming this segment
    and both figures otherwise (provenance /totals/grandTotal says where it is). It is never taken as the total.
  - OUTPUT additions: discounts?, charges? (arrays of {amount?, percent?, reason?, description?}),
    totals: {tax?, grandTotal?}, provenance: {'/totals/grandTotal': 'segment n (AMT) element 2'}.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:orderhub:edi"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="units" as="map(xs:string, xs:string)"
      select="map { 'YD': 'YRD', 'FT': 'FOT', 'LB': 'LBR', 'KG': 'KGM', 'SF': 'FTK', 'DZ': 'DZN', 'GA': 'GLL',
                    'KI': 'KT', 'CA': 'CS', 'GR': 'GRM', 'LT': 'LTR', 'MR': 'MTR', 'PC': 'H87' }"/>

  <xsl:variable name="purposes" select="map { '00': 'CHANGE', '01': 'CANCEL', '04': 'CHANGE', '05': 'CHANGE',
      '07': 'DUPLICATE', '22': 'DUPLICATE' }"/>

  <xsl:variable name="changes" select="map { 'AI': 'ADD', 'DI': 'DELETE', 'CA': 'CHANGE', 'CT': 'CHANGE',
      'MU': 'CHANGE', 'PC': 'CHANGE', 'PQ': 'CHANGE', 'QD': 'CHANGE', 'QI': 'CHANGE', 'RZ': 'CHANGE', 'NC': '' }"/>

  <xsl:function name="f:at" as="xs:string">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:sequence select="'segment ' || $s/@n || ' (' || $s/@t || ')' || (if ($element gt 0) then ' element ' || $element else '')"/>
  </xsl:function>

  <xsl:function name="f:v" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="$s/@*[local-name() = $name]/normalize-space()[. ne '']"/>
  </xsl:function>

  <xsl:function name="f:num" as="xs:decimal?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, 'e' || $element)"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="$v castable as xs:decimal">
        <xsl:sequence select="xs:decimal($v)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:number'), f:at($s, $element) || '|''' || $v || ''' is not a number')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:date" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, 'e' || $element)"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="matches($v, '^\d{8}$') and (replace($v, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3') castable as xs:date)">
        <xsl:sequence select="replace($v, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3') || 'T00:00:00Z'"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:date'), f:at($s, $element) || '|''' || $v || ''' is not a CCYYMMDD date')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- SAC05 is N2 (2 implied decimals: 1500 = 15.00); a value written with a decimal point is read as written -->
  <xsl:function name="f:n2" as="xs:decimal?">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:variable name="v" select="f:num($s, $element)"/>
    <xsl:sequence select="if (empty($v)) then () else if (contains(f:v($s, 'e' || $element), '.')) then $v else $v div 100"/>
  </xsl:function>

  <!-- one header SAC as map { 'kind': 'A'|'C'|'error', ... }; () for SAC01 N or one settled outside the order amount
       (SAC12 01, 03, 04, 05). A percentage without an amount is kept as a percent: the hub applies it. -->
  <xsl:function name="f:sac" as="map(*)?">
    <xsl:param name="sac" as="element(s)"/>
    <xsl:variable name="kind" select="f:v($sac, 'e1') ! upper-case(.)"/>
    <xsl:variable name="handling" select="f:v($sac, 'e12')"/>
    <xsl:variable name="amount" select="f:n2($sac, 5)"/>
    <xsl:variable name="percent" select="f:num($sac, 7)"/>
    <xsl:choose>
      <xsl:when test="not($kind = ('A', 'C', 'N'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($sac, 1), 'message': '''' || $kind
            || ''' is not A (allowance), C (charge) or N (no allowance or charge)' } }"/>
      </xsl:when>
      <xsl:when test="$kind = 'N' or $handling = ('01', '03', '04', '05')"/>
      <xsl:when test="exists($handling) and not($handling = ('02', '06'))">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($sac, 12), 'message': 'method of handling ''' || $handling
            || ''' is not one the hub applies (02 off invoice, 06 paid by customer; 01, 03, 04, 05 are settled outside the order)' } }"/>
      </xsl:when>
      <xsl:when test="empty($amount) and empty($percent)">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($sac, 5), 'message': 'the ' || (if ($kind = 'A') then 'allowance' else 'charge')
            || ' has no amount (SAC05) and no percent (SAC07)' } }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="map { 'kind': $kind, 'adjustment': map:merge((
            if (exists($amount)) then map { 'amount': $amount } else (),
            if (exists($percent)) then map { 'percent': $percent } else (),
            if (f:v($sac, 'e2')) then map { 'reason': f:v($sac, 'e2') } else (),
            if (f:v($sac, 'e15')) then map { 'description': f:v($sac, 'e15') } else ())) }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- product id of a POC by qualifier preference (pairs POC08/09 .. POC26/27) -->
  <xsl:function name="f:product" as="xs:string?">
    <xsl:param name="poc" as="element(s)"/>
    <xsl:param name="qualifiers" as="xs:string*"/>
    <xsl:variable name="pairs" select="for $k in 4 to 13 return
        let $q := f:v($poc, 'e' || (2 * $k)), $id := f:v($poc, 'e' || (2 * $k + 1))
        return if ($q and $id) then map { 'q': $q, 'id': $id } else ()"/>
    <xsl:sequence select="(for $q in $qualifiers return $pairs[?q = $q]?id)[1]"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="segments" select="/transaction/s"/>
    <xsl:variable name="bch" select="$segments[@t = 'BCH'][1]"/>
    <xsl:variable name="purpose" select="if (f:v($bch, 'e1')) then $purposes(f:v($bch, 'e1')) else 'CHANGE'"/>
    <xsl:variable name="lines" as="map(*)*">
      <xsl:for-each select="$segments[@t = 'POC'][$changes(string(f:v(., 'e2'))) ne '']">
        <xsl:variable name="poc" select="."/>
        <xsl:variable name="stop" select="$poc/following-sibling::s[@t = ('POC', 'CTT', 'SE')][1]"/>
        <xsl:variable name="loop" select="$poc/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
        <xsl:variable name="lineNo" select="f:v($poc, 'e1')"/>
        <xsl:variable name="unit" select="f:v($poc, 'e5')"/>
        <xsl:variable name="sku" select="f:product($poc, ('VP', 'VN', 'UP', 'EN', 'UK', 'MG', 'ST'))"/>
        <xsl:variable name="buyerSku" select="f:product($poc, ('BP', 'IN', 'CB', 'SK'))"/>
        <xsl:sequence select="map {
            'lineNo': if ($lineNo castable as xs:integer and xs:integer($lineNo) gt 0) then xs:integer($lineNo) else (),
            'change': $changes(f:v($poc, 'e2')),
            'sku': ($sku, $buyerSku)[1],
            'buyerSku': if ($sku) then $buyerSku else (),
            'description': $loop[@t = 'PID'][f:v(., 'e5')][1]/f:v(., 'e5'),
            'quantity': f:num($poc, 3),
            'uom': if ($unit) then ($units($unit), $unit)[1] else (),
            'unitPrice': f:num($poc, 6)
          }"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="first-poc" select="$segments[@t = 'POC'][1]"/>
    <xsl:variable name="header" select="$segments[empty($first-poc) or . &lt;&lt; $first-poc]"/>
    <xsl:variable name="header-sacs" select="$header[@t = 'SAC'] ! f:sac(.)"/>
    <xsl:variable name="txi" select="$header[@t = 'TXI']"/>
    <xsl:variable name="amt-total" select="$segments[@t = 'AMT'][f:v(., 'e1') = 'TT'][1]"/>
    <xsl:variable name="errors" as="map(*)*">
      <xsl:sequence select="$header-sacs[?kind = 'error']?error"/>
      <xsl:for-each select="$txi[empty(f:num(., 2))]">
        <xsl:sequence select="map { 'field': f:at(., 2), 'message': 'the tax has no amount (TXI02); a rate alone is not applied by the hub' }"/>
      </xsl:for-each>
      <xsl:if test="$amt-total and empty(f:num($amt-total, 2))">
        <xsl:sequence select="map { 'field': f:at($amt-total, 2), 'message': 'the total transaction amount is missing' }"/>
      </xsl:if>
      <xsl:if test="empty($bch)">
        <xsl:sequence select="map { 'field': 'transaction set ' || /transaction/@number, 'message': 'has no BCH segment' }"/>
      </xsl:if>
      <xsl:if test="$bch and empty($purpose)">
        <xsl:sequence select="map { 'field': f:at($bch, 1), 'message': 'purpose code ''' || f:v($bch, 'e1')
            || ''' does not ask for a change; accepted: 00 original, 01 cancellation, 04 change, 05 replace, 07 duplicate, 22 information copy' }"/>
      </xsl:if>
      <xsl:for-each select="$segments[@t = 'POC'][not(map:contains($changes, string(f:v(., 'e2'))))]">
        <xsl:sequence select="map { 'field': f:at(., 2), 'message': 'change code ''' || f:v(., 'e2')
            || ''' is not one the hub acts on; accepted: AI add, DI delete, CA, CT, MU, PC, PQ, QD, QI, RZ change, NC no change' }"/>
      </xsl:for-each>
      <xsl:for-each select="$segments[@t = 'POC'][not(f:v(., 'e1') castable as xs:integer and xs:integer(f:v(., 'e1')) gt 0)]">
        <xsl:sequence select="map { 'field': f:at(., 1), 'message': 'must be the number of the order line to change' }"/>
      </xsl:for-each>
      <xsl:if test="$purpose = 'CHANGE' and empty($segments[@t = 'POC'])">
        <xsl:sequence select="map { 'field': 'transaction set ' || /transaction/@number,
            'message': 'is a change with no POC line to add, change or delete' }"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="map {
        'order': map:merge((map {
          'externalId': f:v($bch, 'e3'),
          'purpose': $purpose,
          'orderDate': f:date($bch, 6),
          'lines': array { $lines }
        },
          if (exists($header-sacs[?kind = 'A'])) then map { 'discounts': array { $header-sacs[?kind = 'A']?adjustment } } else (),
          if (exists($header-sacs[?kind = 'C'])) then map { 'charges': array { $header-sacs[?kind = 'C']?adjustment } } else (),
          if ($txi or $amt-total) then map { 'totals': map:merge((
              if ($txi) then map { 'tax': sum($txi ! f:num(., 2), 0.0) } else (),
              if ($amt-total) then map { 'grandTotal': f:num($amt-total, 2) } else ())) } else (),
          if ($amt-total) then map { 'provenance': map { '/totals/grandTotal': f:at($amt-total, 2) } } else ()
        )),
        'errors': array { $errors }
      }"/>
  </xsl:template>
</xsl:stylesheet>
