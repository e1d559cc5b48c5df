<?xml version="1.0" encoding="UTF-8"?>
<!--
  X12 850 purchase order -> canonical order (DESIGN §4). Edit freely: the hub compiles this file once and
  again when it changes; no Java changes are needed.

  INPUT (built by io.orderhub.format.edi.EdiMapping from one ST..SE transaction set, same shape for X12
  and EDIFACT):
    <transaction standard="X12" number="1" type="850" control="0001" version="004010" decimal=".">
      <s t="BEG" n="4" i="2" e1="00" e2="SA" e3="4600000406" e5="20140724"/> ...
  t = segment tag, n = position of the segment in the interchange (use it in error fields), i = position in
  the set (ST = 1), eK = element K (first component), eK.J = component J > 1. Empty elements are absent.
  Envelope problems (SE01 count, ST02/SE02, duplicate ST02, ...) are found before this mapping runs.

  OUTPUT: map { 'order': map {...canonical order...}, 'errors': array { map {'field', 'message'} } }.
  Empty sequences are left out of the JSON. Amounts MUST be xs:decimal (the hub refuses xs:double),
  so arithmetic here is exact. f:num raises "field|message" for a value that is not a number.

  RULES AND FALLBACKS (documented choices):
  - externalId = BEG03, orderDate = BEG05 (CCYYMMDD) as YYYY-MM-DDT00:00:00Z. Versions before 004010 (e.g.
    003010) send six-digit YYMMDD dates: the century comes from the fixed window 1970-2069 (YY 70-99 -> 19YY,
    00-69 -> 20YY) and provenance records it. A six-digit date in 004010 or later is an error.
  - purpose = BEG01 (X12 code list 353): 00 original -> ORIGINAL; 01 cancellation -> CANCEL; 04 change and
    05 replace -> REPLACE (an 850 carries the whole order, so a change is a replacement of its content);
    07 duplicate, 22 information copy -> DUPLICATE. Any other code (06 confirmation, 08 status, ...) is an
    error naming it: it does not ask for an order. An empty BEG01 is ORIGINAL. The hub acts on a purpose
    other than ORIGINAL against the order of the same channel and BEG03 (io.orderhub.order.OrderAmendments).
  - currency = header CUR02 (entity BY or SE); most 850s carry no CUR: then USD (X12 is a North American
    standard and amounts without CUR are US dollars by trading-partner convention).
  - parties: N1 loops (N1 + N2/N3/N4/PER/REF). ST -> shipTo, BT -> billTo, the buyer -> customer. The buyer
    is N1*BY, else N1*LW (customer for whom the product is produced). A party may be identified only by its
    id (N103 qualifier, N104 id: 1 DUNS, 9 DUNS+4, UL GLN, 91/92 seller's/buyer's number):
    customer.externalId = the buyer's N104 (else BT N104). customer.name = the buyer's N102, else its N2,
    else its contact (PER02), else BT's name, else ST's name, else the buyer's id N104; the customer's phone
    and e-mail come from the buyer's PER, else the header's first PER. An address's name = N102, else N2,
    else the party id N104. N404 missing -> US (X12 sends a country only for addresses outside the US);
    N404 UK (reserved by ISO 3166 for the United Kingdom) -> GB, named in provenance.
    An N1*ST with only an id code (no N3/N4) is an error: the address is not in the document and the hub
    has no location directory. A bill-to is optional: an N1*BT without a complete address (N3 street, N4
    city and postal code) is left out rather than sinking the order.
  - provenance: every value taken by a fallback above (not from its first-choice element) is named in
    the order's provenance, keyed by its JSON pointer: the segment, element and rule it came from.
  - lines: one per PO1. lineNo = PO101 (an empty or non-numeric PO101 -> the line's rank). Product ids by
    qualifier: sku = VP, VN, UP, EN, UK, MG or ST (first found, as written: spaces kept); buyerSku = BP, IN, CB
    or SK. The channel's item cross-reference (PUT /api/item-xref/{channel}) turns a partner's number into our
    SKU at intake, keeping the document's number in partnerSku. description =
    PID05 (type F), else the PD product id. uom = PO103, X12 codes translated to UN/ECE rec. 20 where they
    differ (YD -> YRD, ...). A PO1 without unit price is mapped without one: the validator rejects it naming
    the field.
  - price basis: PO104 is the price for the basis PO105 (X12 639, $price-bases below): per each, per unit of
    measure and price types naming no basis (NT, CT, CA, CP, QT, ST, FX, PR) are per ordered unit; PN per ten,
    HP/LC/QH/RC/TC/WC per hundred, TP/LM/QS/RM/TM/WM per thousand, TT per 10,000, HT per 100,000, PD/LD/RD/TD/WD
    per dozen (per unit when PO103 is DZ); a price per pound, kilogram, gram, liter, yard or foot (PP PK PG PL
    PY PF, HF per 100 feet, TF per 1000 feet) only when PO103 is that unit. Any other code is a precise error:
    never a guess. Without PO104, a CTP net/unit cost/contract price (CTP02 NET, UCP, CON) gives CTP03 with
    basis CTP09. unitPrice = price / basis, per ordered unit, rounded half-up to 6 decimals; line source keeps
    the document's price, basis quantity and code when PO105 (CTP09) is sent.
  - SAC (A/C indicator SAC01, code SAC02 -> reason, SAC15 -> description): in the PO1 loop -> the line's
    discounts (A) and charges (C); in the header -> the order's discounts and charges. amount = SAC05 (N2: 2
    implied decimals, 1500 = 15.00; a value written with a point is read as written), else SAC07 percent of
    the line amount (quantity x price / basis; header: of the sum of line totals), rounded to 2 decimals;
    percent and baseAmount are kept. SAC01 N and SAC12 01/03/04/05 (settled outside the order: bill back,
    vendor check, credit account, paid by vendor) change no amount; another SAC12 than 02/06, a SAC without
    SAC05 and SAC07, or another SAC01 is a precise error.
  - lineTotal = quantity x price / basis - line allowances + line charges, computed exactly from the
    document's figures and rounded half-up to 2 decimals (the cent; one rounding per line).
  - totals: subtotal = sum of line totals; discount = sum of header allowances; shipping = sum of header
    charges (freight and every other charge; the charges list says what each is); tax = header TXI02;
    grandTotal = subtotal - discount + shipping + tax. The document's own totals are reconciled, a
    difference over one cent being an error naming both figures: AMT*1 (line item total) against the
    lines after line allowances and charges or before them (either reading); AMT*TT against grandTotal.
  - CTT01 (number of line items) not matching the PO1 count, or CTT02 (hash total) not matching the sum of
    PO102 quantities, is a mapping error.
  - payment: invoice; terms = ITD12 text, else "NET<ITD07>" with the early-payment discount when given.
  - shippingMethod = TD505 routing, else TD503 carrier (SCAC), else TD512 service level.
  - notes = header MSG texts, joined by newlines.
  - split delivery (line-level ship-to): an N1*ST inside a PO1 loop (after the PO1, with its N3/N4) ships that
    line there. When any line has one, the set becomes one order per distinct ship-to (same N103/N104 id, else
    same address; a line N1*ST equal to the header's counts as the header's; lines without one go to the header
    N1*ST), in the order of their first line, returned as {'orders': [...]}: externalId = BEG03 || '-' || n
    (n = 1, 2, ... in that order; deterministic, so a resent or replayed document finds its orders again, and a
    cancellation or change of the delivery must name BEG03-n), documentId = BEG03 (kept in source.documentId),
    provenance '/externalId' names the purchase order, the delivery and its lines, '/shipTo' the N1*ST used.
    Lines keep their PO101 numbers and quantities. Each order's subtotal is the sum of its lines; the header's
    SAC allowances/charges and TXI tax are the purchase order's, stated once: they go to delivery 1 (never
    apportioned, which would invent figures). CTT and AMT are reconciled once for the whole set (the sum of the
    deliveries), and any error of the set rejects every delivery. The 997 still answers the transaction set.
  - a segment whose tag is not in $known-segments (the 850 segments of 4010 to 5010) is an error naming it:
    add a tag there when a partner legitimately sends it.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:orderhub:edi"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="units" as="map(xs:string, xs:string)"
      select="map { 'YD': 'YRD', 'FT': 'FOT', 'LB': 'LBR', 'KG': 'KGM', 'SF': 'FTK', 'DZ': 'DZN', 'GA': 'GLL',
                    'KI': 'KT', 'CA': 'CS', 'GR': 'GRM', 'LT': 'LTR', 'MR': 'MTR', 'PC': 'H87' }"/>

  <xsl:variable name="known-segments" as="xs:string*" select="tokenize('
      ST BEG CUR REF PER TAX FOB CTP PAM CSH TC2 SAC ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 TD4
      MAN PCT CTB TXI AMT N9 MSG N1 N2 N3 N4 NX2 SPI CDS ADV LM LQ G61 G62 QTY SCH PO1 PO3 PO4 SLN SDQ IT8 IT3 PRS
      FST CPS LE LS SHP G53 NTE IN2 MTX CN1 PD PDD HL YNQ CTT SE')"/>

  <!-- PO105 / CTP09 basis of unit price (X12 element 639) -> how many ordered units the price is for.
       Per each / per unit of measure and price types that name no quantity basis (net, contract, catalog,
       current, quoted, standard, fixed, promotion) are per ordered unit. -->
  <xsl:variable name="price-bases" as="map(xs:string, xs:decimal)" select="map {
      'PE': 1.0, 'LE': 1.0, 'QE': 1.0, 'RE': 1.0, 'TE': 1.0, 'WE': 1.0, 'UM': 1.0,
      'NT': 1.0, 'CT': 1.0, 'CA': 1.0, 'CP': 1.0, 'QT': 1.0, 'ST': 1.0, 'FX': 1.0, 'PR': 1.0,
      'PN': 10.0, 'HP': 100.0, 'LC': 100.0, 'QH': 100.0, 'RC': 100.0, 'TC': 100.0, 'WC': 100.0,
      'TP': 1000.0, 'LM': 1000.0, 'QS': 1000.0, 'RM': 1000.0, 'TM': 1000.0, 'WM': 1000.0, 'TT': 10000.0,
      'HT': 100000.0, 'PD': 12.0, 'LD': 12.0, 'RD': 12.0, 'TD': 12.0, 'WD': 12.0 }"/>
  <!-- 639 codes that price per a unit of measure: only usable when PO103 is that unit (units are not converted) -->
  <xsl:variable name="unit-price-bases" as="map(xs:string, map(*))" select="map {
      'PP': map { 'unit': 'LB', 'factor': 1.0, 'name': 'price per pound' },
      'PK': map { 'unit': 'KG', 'factor': 1.0, 'name': 'price per kilogram' },
      'PG': map { 'unit': 'GR', 'factor': 1.0, 'name': 'price per gram' },
      'PL': map { 'unit': 'LT', 'factor': 1.0, 'name': 'price per liter' },
      'PY': map { 'unit': 'YD', 'factor': 1.0, 'name': 'price per yard' },
      'PF': map { 'unit': 'FT', 'factor': 1.0, 'name': 'price per foot' },
      'HF': map { 'unit': 'FT', 'factor': 100.0, 'name': 'price per 100 feet' },
      'TF': map { 'unit': 'FT', 'factor': 1000.0, 'name': 'price per 1000 feet' } }"/>

  <!-- the basis quantity of a price: how many ordered units it is for; a precise error when unknown -->
  <xsl:function name="f:basis" as="xs:decimal">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:param name="unit" as="xs:string?"/>
    <xsl:variable name="code" select="f:v($s, 'e' || $element) ! upper-case(.)"/>
    <xsl:choose>
      <xsl:when test="empty($code)">
        <xsl:sequence select="1.0"/>
      </xsl:when>
      <xsl:when test="$code = ('PD', 'LD', 'RD', 'TD', 'WD') and $unit = 'DZ'">
        <xsl:sequence select="1.0"/>
      </xsl:when>
      <xsl:when test="map:contains($price-bases, $code)">
        <xsl:sequence select="$price-bases($code)"/>
      </xsl:when>
      <xsl:when test="map:contains($unit-price-bases, $code) and $unit-price-bases($code)?unit = $unit">
        <xsl:sequence select="$unit-price-bases($code)?factor"/>
      </xsl:when>
      <xsl:when test="map:contains($unit-price-bases, $code)">
        <xsl:sequence select="error(xs:QName('f:basis'), f:at($s, $element) || '|''' || $code || ''' ('
            || $unit-price-bases($code)?name || ') but the quantity is in ''' || ($unit, 'EA')[1]
            || ''' (PO103): the hub does not convert units, so the price per ordered unit is unknown')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:basis'), f:at($s, $element) || '|''' || $code
            || ''' is a basis of unit price (X12 639) the hub does not turn into a price per ordered unit; it reads '
            || string-join(sort((map:keys($price-bases), map:keys($unit-price-bases))), ' '))"/>
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

  <!-- one SAC as map { 'kind': 'A'|'C', 'adjustment': map {...} }; () for SAC01 N or an allowance or charge
       settled outside the order amount (SAC12 01 bill back, 03 vendor check, 04 credit customer account,
       05 paid by vendor); $base = the amount a percentage (SAC07) applies to -->
  <xsl:function name="f:sac" as="map(*)?">
    <xsl:param name="sac" as="element(s)"/>
    <xsl:param name="base" as="xs:decimal?"/>
    <xsl:variable name="kind" select="f:v($sac, 'e1') ! upper-case(.)"/>
    <xsl:variable name="handling" select="f:v($sac, 'e12')"/>
    <xsl:variable name="amount" select="f:n2($sac, 5)"/>
    <xsl:variable name="percent" select="f:num($sac, 7)"/>
    <xsl:variable name="computed" select="if (exists($percent) and exists($base)) then round($base * $percent div 100, 2) else ()"/>
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
            || ' has no amount (SAC05) and no percent (SAC07)' || (if (f:v($sac, 'e8')) then '; a rate (SAC08) is not applied by the hub' else '') } }"/>
      </xsl:when>
      <xsl:when test="empty($amount) and empty($base)">
        <xsl:sequence select="map { 'kind': 'error', 'error': map { 'field': f:at($sac, 7), 'message': 'the percent has nothing to apply to: the lines have no prices' } }"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="map { 'kind': $kind, 'adjustment': map {
            'amount': ($amount, $computed)[1],
            'reason': f:v($sac, 'e2'),
            'description': f:v($sac, 'e15'),
            'percent': $percent,
            'baseAmount': if (exists($percent) and (empty($amount) or abs($amount - $computed) le 0.01)) then $base else ()
          } }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:at" as="xs:string">
    <xsl:param name="s" as="element(s)"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:sequence select="'segment ' || $s/@n || ' (' || $s/@t || ')' || (if ($element gt 0) then ' element ' || $element else '')"/>
  </xsl:function>

  <!-- X12 versions before 004010 (002xxx, 003xxx) write dates as YYMMDD -->
  <xsl:function name="f:six-digit-dates" as="xs:boolean">
    <xsl:param name="s" as="element(s)"/>
    <xsl:sequence select="string($s/ancestor::transaction/@version) lt '004010'"/>
  </xsl:function>

  <!-- the first candidate map { 'v': value, 'from': provenance? } that has a value -->
  <xsl:function name="f:first" as="map(*)?">
    <xsl:param name="candidates" as="map(*)*"/>
    <xsl:sequence select="$candidates[exists(?v)][1]"/>
  </xsl:function>

  <!-- N103 identification code qualifier in words -->
  <xsl:function name="f:id-kind" as="xs:string">
    <xsl:param name="n1" as="element(s)"/>
    <xsl:variable name="q" select="string(f:v($n1, 'e3'))"/>
    <xsl:sequence select="(map { '1': 'DUNS', '9': 'DUNS+4', 'UL': 'GLN', '91': 'seller''s number',
        '92': 'buyer''s number' }($q), 'id (qualifier ' || $q || ')')[1]"/>
  </xsl:function>

  <!-- a party's name: N102, else N2, else the party id N104 (recorded in 'from') -->
  <xsl:function name="f:party-name" as="map(*)?">
    <xsl:param name="n1" as="element(s)?"/>
    <xsl:variable name="n2" select="if ($n1) then f:loop($n1, ('N2', 'N3', 'N4', 'PER', 'REF', 'SI', 'FOB'))[@t = 'N2'][1] else ()"/>
    <xsl:sequence select="if (empty($n1)) then () else f:first((
        map { 'v': f:v($n1, 'e2') },
        $n2 ! map { 'v': f:v(., 'e1'), 'from': f:at(., 1) || ': N2 name of the N1*' || $n1/@e1 || ' party (N102 is empty)' },
        map { 'v': f:v($n1, 'e4'), 'from': f:at($n1, 4) || ': the N1*' || $n1/@e1 || ' party''s ' || f:id-kind($n1)
            || ' (the document gives no name)' }))"/>
  </xsl:function>

  <!-- element K of a segment as text, () when empty -->
  <xsl:function name="f:v" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="$s/@*[local-name() = $name]/normalize-space()[. ne '']"/>
  </xsl:function>

  <!-- element as xs:decimal; decimal comma accepted; () when empty -->
  <xsl:function name="f:num" as="xs:decimal?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, 'e' || $element)"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="translate($v, ',', '.') castable as xs:decimal">
        <xsl:sequence select="xs:decimal(translate($v, ',', '.'))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:number'), f:at($s, $element) || '|''' || $v || ''' is not a number')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- CCYYMMDD -> ISO date-time at midnight UTC; YYMMDD (before 004010) with the century window 1970-2069 -->
  <xsl:function name="f:date" as="xs:string?">
    <xsl:param name="s" as="element(s)?"/>
    <xsl:param name="element" as="xs:integer"/>
    <xsl:variable name="v" select="f:v($s, 'e' || $element)"/>
    <xsl:variable name="v8" select="if (matches($v, '^\d{6}$') and f:six-digit-dates($s))
        then (if (xs:integer(substring($v, 1, 2)) ge 70) then '19' else '20') || $v else $v"/>
    <xsl:choose>
      <xsl:when test="empty($v)"/>
      <xsl:when test="matches($v8, '^\d{8}$') and (replace($v8, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3') castable as xs:date)">
        <xsl:sequence select="replace($v8, '^(\d{4})(\d{2})(\d{2})$', '$1-$2-$3') || 'T00:00:00Z'"/>
      </xsl:when>
      <xsl:when test="matches($v, '^\d{6}$') and not(f:six-digit-dates($s))">
        <xsl:sequence select="error(xs:QName('f:date'), f:at($s, $element) || '|''' || $v
            || ''' is a six-digit YYMMDD date; version ' || $s/ancestor::transaction/@version || ' sends CCYYMMDD')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="error(xs:QName('f:date'), f:at($s, $element) || '|''' || $v || ''' is not a '
            || (if (f:six-digit-dates($s)) then 'YYMMDD or ' else '') || 'CCYYMMDD date')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- the segments of a loop: those after $start up to the next segment not in $members -->
  <xsl:function name="f:loop" as="element(s)*">
    <xsl:param name="start" as="element(s)"/>
    <xsl:param name="members" as="xs:string*"/>
    <xsl:variable name="stop" select="$start/following-sibling::s[not(@t = $members)][1]"/>
    <xsl:sequence select="$start/following-sibling::s[empty($stop) or . &lt;&lt; $stop]"/>
  </xsl:function>

  <xsl:function name="f:address" as="map(*)?">
    <xsl:param name="n1" as="element(s)?"/>
    <xsl:variable name="loop" select="if ($n1) then f:loop($n1, ('N2', 'N3', 'N4', 'PER', 'REF', 'SI', 'FOB')) else ()"/>
    <xsl:variable name="n2" select="$loop[@t = 'N2'][1]"/>
    <xsl:variable name="n3" select="$loop[@t = 'N3'][1]"/>
    <xsl:variable name="n4" select="$loop[@t = 'N4'][1]"/>
    <xsl:variable name="per" select="$loop[@t = 'PER'][1]"/>
    <xsl:if test="$n1 and ($n3 or $n4)">
      <xsl:sequence select="map {
          'name': f:party-name($n1)?v,
          'company': if (f:v($n1, 'e2')) then f:v($n2, 'e1') else (),
          'line1': f:v($n3, 'e1'),
          'line2': f:v($n3, 'e2'),
          'city': f:v($n4, 'e1'),
          'region': f:v($n4, 'e2'),
          'postalCode': f:v($n4, 'e3'),
          'country': (f:v($n4, 'e4') ! upper-case(.) ! (if (. eq 'UK') then 'GB' else .), 'US')[1],
          'phone': f:contact($per, 'TE'),
          'email': f:contact($per, 'EM')
        }"/>
    </xsl:if>
  </xsl:function>

  <!-- PER communication number by qualifier (PER03/04, 05/06, 07/08) -->
  <xsl:function name="f:contact" as="xs:string?">
    <xsl:param name="per" as="element(s)?"/>
    <xsl:param name="qualifier" as="xs:string"/>
    <xsl:sequence select="(for $k in (3, 5, 7) return
        if (f:v($per, 'e' || $k) = $qualifier) then f:v($per, 'e' || ($k + 1)) else ())[1]"/>
  </xsl:function>

  <!-- product id of a PO1 by qualifier preference (pairs PO106/07 .. PO124/25) -->
  <xsl:function name="f:product" as="xs:string?">
    <xsl:param name="po1" as="element(s)"/>
    <xsl:param name="qualifiers" as="xs:string*"/>
    <xsl:variable name="pairs" select="for $k in 3 to 12 return
        let $q := f:v($po1, 'e' || (2 * $k)), $id := f:v($po1, 'e' || (2 * $k + 1))
        return if ($q and $id) then map { 'q': $q, 'id': $id } else ()"/>
    <xsl:sequence select="(for $q in $qualifiers return $pairs[?q = $q]?id)[1]"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="segments" select="/transaction/s"/>
    <xsl:variable name="header" select="$segments[empty(preceding-sibling::s[@t = 'PO1']) and not(@t = 'PO1')]"/>
    <xsl:variable name="beg" select="$segments[@t = 'BEG'][1]"/>
    <xsl:variable name="purposes" select="map { '00': 'ORIGINAL', '01': 'CANCEL', '04': 'REPLACE', '05': 'REPLACE',
        '07': 'DUPLICATE', '22': 'DUPLICATE' }"/>
    <xsl:variable name="purpose" select="if (f:v($beg, 'e1')) then $purposes(f:v($beg, 'e1')) else 'ORIGINAL'"/>
    <xsl:variable name="n1" select="$header[@t = 'N1']"/>
    <xsl:variable name="st" select="$n1[@e1 = 'ST'][1]"/>
    <xsl:variable name="bt" select="$n1[@e1 = 'BT'][1]"/>
    <xsl:variable name="by" select="($n1[@e1 = 'BY'], $n1[@e1 = 'LW'])[1]"/>
    <xsl:variable name="shipTo" select="f:address($st)"/>
    <xsl:variable name="billing" select="f:address($bt)"/>
    <xsl:variable name="billTo" select="$billing[every $k in ('name', 'line1', 'city', 'postalCode') satisfies exists(?($k))]"/>
    <xsl:variable name="by-per" select="if ($by) then f:loop($by, ('N2', 'N3', 'N4', 'PER', 'REF', 'SI', 'FOB'))[@t = 'PER'][1] else ()"/>
    <xsl:variable name="by-n2" select="if ($by) then f:loop($by, ('N2', 'N3', 'N4', 'PER', 'REF', 'SI', 'FOB'))[@t = 'N2'][1] else ()"/>
    <xsl:variable name="customer-name" select="f:first((
        map { 'v': f:v($by, 'e2') },
        $by-n2 ! map { 'v': f:v(., 'e1'), 'from': f:at(., 1) || ': N2 name of the N1*' || $by/@e1 || ' party (N102 is empty)' },
        $by-per ! map { 'v': f:v(., 'e2'), 'from': f:at(., 2) || ': contact name of the N1*' || $by/@e1
            || ' party, which gives no name' },
        $bt ! map { 'v': f:v(., 'e2'), 'from': f:at(., 2) || ': bill-to name (the buyer is not named)' },
        $st ! map { 'v': f:v(., 'e2'), 'from': f:at(., 2) || ': ship-to name (neither buyer nor bill-to is named)' },
        $by ! map { 'v': f:v(., 'e4'), 'from': f:at(., 4) || ': the buyer''s ' || f:id-kind(.)
            || ' (the document gives no buyer name or contact)' }))"/>
    <xsl:variable name="order-date" select="f:date($beg, 5)"/>
    <xsl:variable name="provenance" select="map:merge((
        $customer-name[?from] ! map { '/customer/name': ?from },
        $by[@e1 = 'LW'] ! map { '/customer': f:at(., 1) || ': the N1*LW party (customer for whom the product is produced);'
            || ' the document has no N1*BY buyer' },
        if (empty(f:v($by, 'e4')) and f:v($bt, 'e4')) then map { '/customer/externalId': f:at($bt, 4)
            || ': the bill-to party''s ' || f:id-kind($bt) || ' (the buyer has no id)' } else (),
        if (exists($shipTo)) then f:party-name($st)[?from] ! map { '/shipTo/name': ?from } else (),
        for $p in ($st[exists($shipTo)] ! map { 'key': '/shipTo/country', 'n1': . },
                   $bt[exists($billTo)] ! map { 'key': '/billTo/country', 'n1': . })
        return f:loop($p?n1, ('N2', 'N3', 'N4', 'PER', 'REF', 'SI', 'FOB'))[@t = 'N4'][1][upper-case(f:v(., 'e4')) eq 'UK']
            ! map { $p?key: f:at(., 4) || ': UK, the code ISO 3166 reserves for the United Kingdom, read as GB' },
        if (exists($billTo)) then f:party-name($bt)[?from] ! map { '/billTo/name': ?from } else (),
        if ($bt and empty($billTo)) then map { '/billTo': f:at($bt, 0) || ': left out, the N1*BT party has no complete'
            || ' address (N3 street, N4 city and postal code); the bill-to is optional' } else (),
        if (matches(string(f:v($beg, 'e5')), '^\d{6}$') and exists($order-date)) then map { '/orderDate': f:at($beg, 5)
            || ': six-digit YYMMDD date (version ' || /transaction/@version || '), century from the window 1970-2069' } else ()
      ))"/>
    <xsl:variable name="lines" as="map(*)*">
      <xsl:for-each select="$segments[@t = 'PO1']">
        <xsl:variable name="po1" select="."/>
        <xsl:variable name="loop" select="f:loop($po1, ('PID', 'PO3', 'PO4', 'MEA', 'REF', 'DTM', 'TC2', 'MSG', 'SAC',
            'CUR', 'IT8', 'TXI', 'CTP', 'PKG', 'TD1', 'TD5', 'N9', 'SLN', 'N1', 'N2', 'N3', 'N4', 'AMT', 'SCH', 'QTY'))"/>
        <xsl:variable name="quantity" select="f:num($po1, 2)"/>
        <xsl:variable name="unit" select="f:v($po1, 'e3')"/>
        <!-- the price: PO104 with its basis PO105; without PO104, a CTP net, unit cost or contract price (CTP03, basis CTP09) -->
        <xsl:variable name="ctp" select="if (f:v($po1, 'e4')) then () else $loop[@t = 'CTP'][f:v(., 'e2') = ('NET', 'UCP', 'CON')][f:v(., 'e3')][1]"/>
        <xsl:variable name="priced" select="($ctp, $po1)[1]"/>
        <xsl:variable name="basis-element" select="if ($ctp) then 9 else 5"/>
        <xsl:variable name="doc-price" select="if ($ctp) then f:num($ctp, 3) else f:num($po1, 4)"/>
        <xsl:variable name="basis" select="f:basis($priced, $basis-element, $unit)"/>
        <xsl:variable name="price" select="if (exists($doc-price)) then round($doc-price div $basis, 6) else ()"/>
        <xsl:variable name="gross" select="if (exists($quantity) and exists($doc-price)) then $quantity * $doc-price div $basis else ()"/>
        <xsl:variable name="sacs" select="$loop[@t = 'SAC'] ! f:sac(., $gross)"/>
        <xsl:variable name="discounts" select="$sacs[?kind = 'A']?adjustment"/>
        <xsl:variable name="charges" select="$sacs[?kind = 'C']?adjustment"/>
        <xsl:variable name="sku" select="f:product($po1, ('VP', 'VN', 'UP', 'EN', 'UK', 'MG', 'ST'))"/>
        <xsl:variable name="buyerSku" select="f:product($po1, ('BP', 'IN', 'CB', 'SK'))"/>
        <xsl:variable name="lineNo" select="f:v($po1, 'e1')"/>
        <xsl:sequence select="map {
            'lineNo': if ($lineNo castable as xs:integer and xs:integer($lineNo) gt 0) then xs:integer($lineNo) else position(),
            'sku': ($sku, $buyerSku)[1],
            'buyerSku': if ($sku) then $buyerSku else (),
            'description': ($loop[@t = 'PID'][f:v(., 'e5')][1]/f:v(., 'e5'), f:product($po1, 'PD'))[1],
            'quantity': $quantity,
            'uom': if ($unit) then ($units($unit), $unit)[1] else 'EA',
            'unitPrice': $price,
            'lineTotal': if (exists($gross)) then round($gross - sum($discounts?amount, 0.0) + sum($charges?amount, 0.0), 2) else (),
            'discounts': if (exists($discounts)) then array { $discounts } else (),
            'charges': if (exists($charges)) then array { $charges } else (),
            'source': if (f:v($priced, 'e' || $basis-element)) then map {
                'price': $doc-price, 'basisQuantity': $basis, 'basisCode': f:v($priced, 'e' || $basis-element) } else (),
            'grossAmount': $gross,
            'adjustmentErrors': $sacs[?kind = 'error']?error,
            'st': $loop[@t = 'N1'][@e1 = 'ST'][1]
          }"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="amt" select="$segments[@t = 'AMT'][empty(following-sibling::s[@t = 'PO1'])]"/>
    <xsl:variable name="subtotal" select="sum($lines?lineTotal, 0.0)"/>
    <xsl:variable name="tax" select="(sum($header[@t = 'TXI']/f:num(., 2)), 0.0)[1]"/>
    <xsl:variable name="header-sacs" select="$header[@t = 'SAC'] ! f:sac(., if (every $l in $lines satisfies exists($l?lineTotal)) then $subtotal else ())"/>
    <xsl:variable name="discounts" select="$header-sacs[?kind = 'A']?adjustment"/>
    <xsl:variable name="charges" select="$header-sacs[?kind = 'C']?adjustment"/>
    <xsl:variable name="discount" select="sum($discounts?amount, 0.0)"/>
    <xsl:variable name="shipping" select="sum($charges?amount, 0.0)"/>
    <xsl:variable name="grand" select="$subtotal - $discount + $shipping + $tax"/>
    <xsl:variable name="gross-lines" select="round(sum($lines?grossAmount, 0.0), 2)"/>
    <xsl:variable name="priced-lines" select="count($lines[exists(?lineTotal)]) eq count($lines)"/>
    <xsl:variable name="amt-lines" select="$amt[@e1 = '1'][1]"/>
    <xsl:variable name="amt-total" select="$amt[@e1 = 'TT'][1]"/>
    <xsl:variable name="itd" select="$header[@t = 'ITD'][1]"/>
    <xsl:variable name="td5" select="$header[@t = 'TD5'][1]"/>
    <xsl:variable name="ctt" select="$segments[@t = 'CTT'][1]"/>
    <xsl:variable name="errors" as="map(*)*">
      <xsl:if test="empty($purpose)">
        <xsl:sequence select="map { 'field': f:at($beg, 1), 'message': 'purpose code ''' || f:v($beg, 'e1')
            || ''' does not ask for an order; accepted: 00 original, 01 cancellation, 04 change, 05 replace, 07 duplicate, 22 information copy' }"/>
      </xsl:if>
      <xsl:if test="$st and empty($shipTo)">
        <xsl:sequence select="map { 'field': f:at($st, 2), 'message': 'the ship-to party is given only by its id'
            || (if (f:v($st, 'e4')) then ' ''' || f:v($st, 'e4') || '''' else '')
            || ' without N3/N4 address segments; the hub has no location directory to look it up' }"/>
      </xsl:if>
      <xsl:if test="empty($st) and exists($lines[empty(?st)])">
        <xsl:sequence select="map { 'field': 'transaction set ' || /transaction/@number,
            'message': 'has no N1*ST ship-to party' }"/>
      </xsl:if>
      <xsl:for-each select="$lines[exists(?st)][empty(f:address(?st))]">
        <xsl:sequence select="map { 'field': f:at(?st, 2), 'message': 'the ship-to party of line ' || ?lineNo
            || ' is given only by its id' || (if (f:v(?st, 'e4')) then ' ''' || f:v(?st, 'e4') || '''' else '')
            || ' without N3/N4 address segments; the hub has no location directory to look it up' }"/>
      </xsl:for-each>
      <xsl:sequence select="$lines ! .?adjustmentErrors, $header-sacs[?kind = 'error']?error"/>
      <xsl:for-each select="$segments[not(@t = $known-segments)]">
        <xsl:sequence select="map { 'field': f:at(., 0), 'message': 'is not a segment of an 850 purchase order' }"/>
      </xsl:for-each>
      <xsl:if test="$ctt and f:num($ctt, 1) ne count($lines)">
        <xsl:sequence select="map { 'field': f:at($ctt, 1),
            'message': 'says ' || f:num($ctt, 1) || ' line items, the set has ' || count($lines) || ' PO1 segments' }"/>
      </xsl:if>
      <xsl:if test="exists(f:num($ctt, 2)) and f:num($ctt, 2) ne sum($lines?quantity, 0)">
        <xsl:sequence select="map { 'field': f:at($ctt, 2), 'message': 'says the quantities (hash total) add up to '
            || f:num($ctt, 2) || ', the PO1 quantities add up to ' || sum($lines?quantity, 0) }"/>
      </xsl:if>
      <!-- AMT*1 (line item total): the lines after line allowances and charges, or before them (either reading
           reconciles); AMT*TT (total transaction amount): the order's grand total -->
      <xsl:if test="$amt-lines and $priced-lines and abs(f:num($amt-lines, 2) - $subtotal) gt 0.01
          and abs(f:num($amt-lines, 2) - $gross-lines) gt 0.01">
        <xsl:sequence select="map { 'field': f:at($amt-lines, 2),
            'message': 'is ' || f:num($amt-lines, 2) || ' but the PO1 lines add up to ' || $subtotal
            || (if ($subtotal ne $gross-lines) then ' (' || $gross-lines || ' before line allowances and charges)' else '') }"/>
      </xsl:if>
      <xsl:if test="$amt-total and $priced-lines and abs(f:num($amt-total, 2) - $grand) gt 0.01">
        <xsl:sequence select="map { 'field': f:at($amt-total, 2),
            'message': 'is ' || f:num($amt-total, 2) || ' but lines − allowances + charges + tax is ' || $grand
            || ' (' || $subtotal || ' − ' || $discount || ' + ' || $shipping || ' + ' || $tax || ')' }"/>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="whole" select="map {
        'order': map {
          'externalId': f:v($beg, 'e3'),
          'purpose': $purpose[. ne 'ORIGINAL'],
          'orderDate': $order-date,
          'currency': (f:v($header[@t = 'CUR'][@e1 = ('BY', 'SE')][1], 'e2') ! upper-case(.), 'USD')[1],
          'customer': map {
            'name': $customer-name?v,
            'externalId': (f:v($by, 'e4'), f:v($bt, 'e4'))[1],
            'phone': f:contact(($by-per, $header[@t = 'PER'])[1], 'TE'),
            'email': f:contact(($by-per, $header[@t = 'PER'])[1], 'EM')
          },
          'billTo': $billTo,
          'shipTo': $shipTo,
          'lines': array { $lines ! map:remove(., ('grossAmount', 'adjustmentErrors', 'st')) },
          'discounts': if (exists($discounts)) then array { $discounts } else (),
          'charges': if (exists($charges)) then array { $charges } else (),
          'totals': map {
            'subtotal': $subtotal,
            'discount': $discount,
            'shipping': $shipping,
            'tax': $tax,
            'grandTotal': $grand
          },
          'payment': map {
            'method': 'invoice',
            'terms': if (f:v($itd, 'e12')) then f:v($itd, 'e12')
                     else if (f:v($itd, 'e7')) then 'NET' || f:v($itd, 'e7')
                          || (if (f:v($itd, 'e3')) then ' (' || f:v($itd, 'e3') || '% discount within '
                              || f:v($itd, 'e5') || ' days)' else '')
                     else ()
          },
          'shippingMethod': (f:v($td5, 'e5'), f:v($td5, 'e3'), f:v($td5, 'e12'))[1],
          'notes': string-join($header[@t = 'MSG']/f:v(., 'e1'), '&#10;')[. ne ''],
          'provenance': if (map:size($provenance) gt 0) then $provenance else ()
        },
        'errors': array { $errors }
      }"/>
    <!-- split delivery: PO1 loops with an N1*ST of their own make one order per distinct ship-to (see header) -->
    <xsl:variable name="header-key" select="f:ship-key($st)"/>
    <xsl:variable name="keys" select="$lines ! (if (exists(?st) and f:ship-key(?st) ne $header-key) then f:ship-key(?st) else '')"/>
    <xsl:variable name="deliveries" select="$keys[not(. = subsequence($keys, 1, position() - 1))]"/>
    <xsl:choose>
      <xsl:when test="count($deliveries) le 1 and empty($lines[exists(?st)])">
        <xsl:sequence select="$whole"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="po" select="f:v($beg, 'e3')"/>
        <xsl:sequence select="map { 'orders': array { for $k in 1 to count($deliveries) return
            let $key := $deliveries[$k],
                $mine := for $i in 1 to count($lines) return $lines[$i][$keys[$i] eq $key],
                $party := if ($key eq '') then $st else $mine[1]?st,
                $address := if ($key eq '') then $shipTo else f:address($party),
                $sub := sum($mine?lineTotal, 0.0),
                $first := $k eq 1,
                $order := $whole?order
            return map {
              'documentId': $po,
              'order': map:merge((
                map:remove($order, ('externalId', 'shipTo', 'lines', 'totals', 'discounts', 'charges', 'provenance')),
                map {
                  'externalId': if (exists($po)) then $po || '-' || $k else (),
                  'shipTo': $address,
                  'lines': array { $mine ! map:remove(., ('grossAmount', 'adjustmentErrors', 'st')) },
                  'totals': map { 'subtotal': $sub, 'discount': if ($first) then $discount else 0.0,
                                  'shipping': if ($first) then $shipping else 0.0, 'tax': if ($first) then $tax else 0.0,
                                  'grandTotal': if ($first) then $sub - $discount + $shipping + $tax else $sub },
                  'provenance': map:merge((map:remove($provenance, '/shipTo/name'),
                    map { '/externalId': f:at($beg, 3) || ': purchase order ''' || $po || ''' delivers to '
                        || count($deliveries) || ' ship-to addresses (N1*ST in its PO1 loops); this order is delivery '
                        || $k || ' of ' || count($deliveries) || ', lines ' || string-join($mine ! string(?lineNo), ', ') },
                    if ($key ne '') then map { '/shipTo': f:at($party, 1) || ': the N1*ST of the PO1 loop of line '
                        || $mine[1]?lineNo } else (),
                    if (exists($address)) then f:party-name($party)[?from] ! map { '/shipTo/name': ?from } else (),
                    if ($first and ($discount ne 0 or $shipping ne 0 or $tax ne 0) and count($deliveries) gt 1)
                      then map { '/totals': 'the header''s allowances, charges and tax (SAC, TXI) are the purchase'
                        || ' order''s, stated once: they go to delivery 1' } else ()))
                },
                if ($first) then map { 'discounts': $order?discounts, 'charges': $order?charges } else ()
              )),
              'errors': array { $errors }
            } } }"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- which ship-to a PO1 loop's N1*ST names: its id (N103/N104), else its address -->
  <xsl:function name="f:ship-key" as="xs:string">
    <xsl:param name="st" as="element(s)?"/>
    <xsl:sequence select="if (empty($st)) then ''
        else if (f:v($st, 'e4')) then 'id:' || f:v($st, 'e3') || ':' || f:v($st, 'e4')
        else 'at:' || string-join(f:address($st) ! (?name, ?line1, ?city, ?postalCode, ?country), '|')"/>
  </xsl:function>

</xsl:stylesheet>
