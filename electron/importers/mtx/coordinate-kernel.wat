;; The common lines of a Matrix Market file, parsed in WebAssembly: coordinate lines (parse, see
;; coordinate-kernel.ts) "row col value" (real, integer, complex: two values; pattern: none) with the same
;; results, bit for bit, as CoordinateParser + parseDecimalInto; array lines (parseArray, see
;; array-kernel.ts) "value" (complex: "re im") as ArrayParser's. A line it does not handle on its fast path
;; (a comment after the entry, inf/nan, more than 19 significant digits, a halfway case of Eisel–Lemire,
;; any error...) stops the parse at that line's start with stop = 2: the caller parses that one line with
;; the JS parser and calls again after it. So every error and every rare case is the JS parser's.
;;
;; Memory (byte offsets given to setup): POW5 (651 entries of 16 bytes: high, then low 64 bits of the
;; truncated normalised 5^q for q in -342..308), P10 (10^0..10^22 as f64), output arrays of `cap`
;; entries (rows u32, cols u32, re f64, im f64; array lines use re and im only), counts per row and
;; column (see tally; rcAt = 0: none), and the input: whole lines, the last ending in '\n'.
(module
  (memory (export "memory") 1)
  (global $pow5 (mut i32) (i32.const 0))
  (global $p10 (mut i32) (i32.const 0))
  (global $rowsAt (mut i32) (i32.const 0))
  (global $colsAt (mut i32) (i32.const 0))
  (global $reAt (mut i32) (i32.const 0))
  (global $imAt (mut i32) (i32.const 0))
  (global $rcAt (mut i32) (i32.const 0))
  (global $ccAt (mut i32) (i32.const 0))
  (global $rhAt (mut i32) (i32.const 0))
  (global $chAt (mut i32) (i32.const 0))
  (global $cap (mut i32) (i32.const 0))
  (global $R (mut i64) (i64.const 0))
  (global $C (mut i64) (i64.const 0))
  ;; 0 real, 1 integer, 2 pattern, 3 complex
  (global $kind (mut i32) (i32.const 0))
  ;; 0 general, 1 symmetric, 2 skew-symmetric, 3 hermitian
  (global $sym (mut i32) (i32.const 0))
  ;; Entries in the output arrays; lines and entry lines parsed; why parse returned:
  ;; 0 = at the end, 1 = output full, 2 = the line at the returned position needs the JS parser.
  (global $n (export "n") (mut i32) (i32.const 0))
  (global $lines (export "lines") (mut i32) (i32.const 0))
  (global $count (export "count") (mut i32) (i32.const 0))
  (global $stop (export "stop") (mut i32) (i32.const 0))
  ;; The value $num parsed.
  (global $val (mut f64) (f64.const 0))

  (func (export "setup")
    (param $pow5 i32) (param $p10 i32) (param $rows i32) (param $cols i32) (param $re i32) (param $im i32)
    (param $cap i32) (param $kind i32) (param $sym i32) (param $R f64) (param $C f64)
    (global.set $pow5 (local.get $pow5)) (global.set $p10 (local.get $p10))
    (global.set $rowsAt (local.get $rows)) (global.set $colsAt (local.get $cols))
    (global.set $reAt (local.get $re)) (global.set $imAt (local.get $im))
    (global.set $cap (local.get $cap)) (global.set $kind (local.get $kind)) (global.set $sym (local.get $sym))
    (global.set $R (i64.trunc_f64_u (local.get $R))) (global.set $C (i64.trunc_f64_u (local.get $C))))

  ;; Counting on or off: the low 16 bits of the row and column counts at rc, cc (u16), their high bits at
  ;; rh, ch (u32, touched only when a low half wraps); rc = 0: off.
  (func (export "counting") (param $rc i32) (param $cc i32) (param $rh i32) (param $ch i32)
    (global.set $rcAt (local.get $rc)) (global.set $ccAt (local.get $cc))
    (global.set $rhAt (local.get $rh)) (global.set $chAt (local.get $ch)))

  ;; The number token at p (ended by a byte <= 32): its value in $val; returns the position after it, or
  ;; -1 when the fast path does not decide it (not a number, or a case left to the JS parser).
  ;; $int: an integer field, whose tokens are [+-]?digits.
  (func $num (param $p i32) (param $int i32) (result i32)
    (local $c i32) (local $d i32) (local $neg i32) (local $w i64) (local $nd i32) (local $exp i32)
    (local $digits i32) (local $e i32) (local $eneg i32) (local $es i32) (local $r f64) (local $t f64)
    (local $lz i64) (local $ph i64) (local $ll i64) (local $lh i64) (local $hl i64) (local $mid i64)
    (local $lo i64) (local $hi i64) (local $up i64) (local $mant i64) (local $p2 i32)
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 45))
      (then (local.set $neg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
    ;; integer part: leading zeros, then up to 19 significant digits (more only when they are zeros)
    (block $z (loop $zl
      (br_if $z (i32.ne (i32.load8_u (local.get $p)) (i32.const 48)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (br $zl)))
    (block $id (loop $il
      (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
      (br_if $id (i32.gt_u (local.get $d) (i32.const 9)))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (if (i32.lt_u (local.get $nd) (i32.const 19))
        (then
          (local.set $w (i64.add (i64.mul (local.get $w) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
          (local.set $nd (i32.add (local.get $nd) (i32.const 1))))
        (else
          (if (local.get $d) (then (return (i32.const -1))))
          (local.set $exp (i32.add (local.get $exp) (i32.const 1)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $il)))
    ;; fraction
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
      (then
        (if (local.get $int) (then (return (i32.const -1))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.eqz (local.get $nd))
          (then (block $fz (loop $fzl
            (br_if $fz (i32.ne (i32.load8_u (local.get $p)) (i32.const 48)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
            (local.set $exp (i32.sub (local.get $exp) (i32.const 1)))
            (br $fzl)))))
        (block $fd (loop $fl
          (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
          (br_if $fd (i32.gt_u (local.get $d) (i32.const 9)))
          (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
          (if (i32.lt_u (local.get $nd) (i32.const 19))
            (then
              (local.set $w (i64.add (i64.mul (local.get $w) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
              (local.set $nd (i32.add (local.get $nd) (i32.const 1)))
              (local.set $exp (i32.sub (local.get $exp) (i32.const 1))))
            (else (if (local.get $d) (then (return (i32.const -1))))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $fl)))))
    (if (i32.eqz (local.get $digits)) (then (return (i32.const -1))))
    ;; exponent: [eEdD][+-]?digits
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.gt_u (local.get $c) (i32.const 32))
      (then
        (if (local.get $int) (then (return (i32.const -1))))
        (local.set $c (i32.or (local.get $c) (i32.const 32)))
        (if (i32.and (i32.ne (local.get $c) (i32.const 101)) (i32.ne (local.get $c) (i32.const 100)))
          (then (return (i32.const -1))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 45))
          (then (local.set $eneg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
        (local.set $es (local.get $p))
        (block $ed (loop $el
          (local.set $d (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
          (br_if $ed (i32.gt_u (local.get $d) (i32.const 9)))
          (if (i32.lt_s (local.get $e) (i32.const 100000000))
            (then (local.set $e (i32.add (i32.mul (local.get $e) (i32.const 10)) (local.get $d)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $el)))
        (if (i32.eq (local.get $p) (local.get $es)) (then (return (i32.const -1))))
        (local.set $exp (select (i32.sub (local.get $exp) (local.get $e)) (i32.add (local.get $exp) (local.get $e)) (local.get $eneg)))
        (if (i32.gt_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (return (i32.const -1))))))
    ;; zero
    (if (i32.eqz (local.get $nd))
      (then
        (global.set $val (select (f64.const -0) (f64.const 0) (local.get $neg)))
        (return (local.get $p))))
    ;; Clinger's fast path: w < 2^53 and an exact power of ten
    (if (i64.lt_u (local.get $w) (i64.const 9007199254740992))
      (then
        (if (i32.and (i32.ge_s (local.get $exp) (i32.const -22)) (i32.le_s (local.get $exp) (i32.const 22)))
          (then
            (if (i32.lt_s (local.get $exp) (i32.const 0))
              (then (local.set $r (f64.div (f64.convert_i64_u (local.get $w))
                (f64.load (i32.add (global.get $p10) (i32.shl (i32.sub (i32.const 0) (local.get $exp)) (i32.const 3)))))))
              (else (local.set $r (f64.mul (f64.convert_i64_u (local.get $w))
                (f64.load (i32.add (global.get $p10) (i32.shl (local.get $exp) (i32.const 3))))))))
            (global.set $val (select (f64.neg (local.get $r)) (local.get $r) (local.get $neg)))
            (return (local.get $p))))
        (if (i32.and (i32.gt_s (local.get $exp) (i32.const 22)) (i32.le_s (local.get $exp) (i32.const 37)))
          (then
            (local.set $t (f64.mul (f64.convert_i64_u (local.get $w))
              (f64.load (i32.add (global.get $p10) (i32.shl (i32.sub (local.get $exp) (i32.const 22)) (i32.const 3))))))
            (if (f64.lt (local.get $t) (f64.const 9007199254740992))
              (then
                (local.set $r (f64.mul (local.get $t) (f64.const 1e22)))
                (global.set $val (select (f64.neg (local.get $r)) (local.get $r) (local.get $neg)))
                (return (local.get $p))))))))
    ;; Eisel–Lemire: w (normalised) times the high 64 bits of 5^exp
    (if (i32.or (i32.lt_s (local.get $exp) (i32.const -342)) (i32.gt_s (local.get $exp) (i32.const 308)))
      (then (return (i32.const -1))))
    (local.set $lz (i64.clz (local.get $w)))
    (local.set $w (i64.shl (local.get $w) (local.get $lz)))
    (local.set $ph (i64.load (i32.add (global.get $pow5) (i32.shl (i32.add (local.get $exp) (i32.const 342)) (i32.const 4)))))
    (local.set $ll (i64.mul (i64.and (local.get $w) (i64.const 0xffffffff)) (i64.and (local.get $ph) (i64.const 0xffffffff))))
    (local.set $lh (i64.mul (i64.and (local.get $w) (i64.const 0xffffffff)) (i64.shr_u (local.get $ph) (i64.const 32))))
    (local.set $hl (i64.mul (i64.shr_u (local.get $w) (i64.const 32)) (i64.and (local.get $ph) (i64.const 0xffffffff))))
    (local.set $hi (i64.mul (i64.shr_u (local.get $w) (i64.const 32)) (i64.shr_u (local.get $ph) (i64.const 32))))
    (local.set $mid (i64.add (i64.add (i64.shr_u (local.get $ll) (i64.const 32)) (i64.and (local.get $lh) (i64.const 0xffffffff)))
      (i64.and (local.get $hl) (i64.const 0xffffffff))))
    (local.set $lo (i64.or (i64.shl (local.get $mid) (i64.const 32)) (i64.and (local.get $ll) (i64.const 0xffffffff))))
    (local.set $hi (i64.add (i64.add (local.get $hi) (i64.shr_u (local.get $lh) (i64.const 32)))
      (i64.add (i64.shr_u (local.get $hl) (i64.const 32)) (i64.shr_u (local.get $mid) (i64.const 32)))))
    ;; the low 9 bits all ones: the product with the low half of 5^q would be needed (the JS parser does it)
    (if (i64.eq (i64.and (local.get $hi) (i64.const 0x1ff)) (i64.const 0x1ff)) (then (return (i32.const -1))))
    (local.set $up (i64.shr_u (local.get $hi) (i64.const 63)))
    (local.set $mant (i64.shr_u (local.get $hi) (i64.add (local.get $up) (i64.const 9))))
    (local.set $p2 (i32.add
      (i32.add (i32.shr_s (i32.mul (i32.const 217706) (local.get $exp)) (i32.const 16)) (i32.const 1086))
      (i32.sub (i32.wrap_i64 (local.get $up)) (i32.wrap_i64 (local.get $lz)))))
    ;; subnormal results, possible exact ties and overflow: the JS parser's
    (if (i32.le_s (local.get $p2) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.and
          (i32.and (i64.le_u (local.get $lo) (i64.const 1)) (i64.eq (i64.and (local.get $mant) (i64.const 3)) (i64.const 1)))
          (i32.and (i32.ge_s (local.get $exp) (i32.const -4)) (i32.le_s (local.get $exp) (i32.const 23))))
      (then (return (i32.const -1))))
    (local.set $mant (i64.shr_u (i64.add (local.get $mant) (i64.and (local.get $mant) (i64.const 1))) (i64.const 1)))
    (if (i64.ge_u (local.get $mant) (i64.const 9007199254740992))
      (then (local.set $mant (i64.const 4503599627370496)) (local.set $p2 (i32.add (local.get $p2) (i32.const 1)))))
    (if (i32.ge_s (local.get $p2) (i32.const 2047)) (then (return (i32.const -1))))
    (local.set $r (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u (local.get $p2)) (i64.const 52))
      (i64.and (local.get $mant) (i64.const 0xfffffffffffff)))))
    (global.set $val (select (f64.neg (local.get $r)) (local.get $r) (local.get $neg)))
    (local.get $p))

  ;; Counts the output entries 0..n-1 per row and column, in a pass of its own. The increments miss the
  ;; cache on big matrices: they overlap better in a tight loop than between parses, and 16-bit counters
  ;; (half the bytes of 32-bit ones: 4 MB for a 10^6-square matrix) miss it about three times less.
  (func (export "tally") (param $n i32)
    (local $k i32) (local $rows i32) (local $cols i32)
    (local.set $rows (global.get $rowsAt)) (local.set $cols (global.get $colsAt))
    (if (i32.eqz (global.get $rcAt)) (then (return)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (call $bump (global.get $rcAt) (global.get $rhAt) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
      (call $bump (global.get $ccAt) (global.get $chAt) (i32.load (i32.add (local.get $cols) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l))))

  ;; Adds one to counter i: low 16 bits at lo, high bits at hi.
  (func $bump (param $lo i32) (param $hi i32) (param $i i32)
    (local $a i32) (local $v i32)
    (local.set $a (i32.add (local.get $lo) (i32.shl (local.get $i) (i32.const 1))))
    (local.set $v (i32.add (i32.load16_u (local.get $a)) (i32.const 1)))
    (i32.store16 (local.get $a) (local.get $v))
    (if (i32.eq (local.get $v) (i32.const 65536))
      (then
        (local.set $a (i32.add (local.get $hi) (i32.shl (local.get $i) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1))))))

  ;; Stores entry n: (i, j) 0-based, values re, im.
  (func $put (param $n i32) (param $i i32) (param $j i32) (param $re f64) (param $im f64)
    (i32.store (i32.add (global.get $rowsAt) (i32.shl (local.get $n) (i32.const 2))) (local.get $i))
    (i32.store (i32.add (global.get $colsAt) (i32.shl (local.get $n) (i32.const 2))) (local.get $j))
    (f64.store (i32.add (global.get $reAt) (i32.shl (local.get $n) (i32.const 3))) (local.get $re))
    (if (i32.eq (global.get $kind) (i32.const 3))
      (then (f64.store (i32.add (global.get $imAt) (i32.shl (local.get $n) (i32.const 3))) (local.get $im)))))

  ;; Parses the lines in [p, end) into the output arrays from entry $n on; returns where it stopped
  ;; (see $stop). $lines and $count grow by the lines and entry lines parsed.
  (func (export "parse") (param $p i32) (param $end i32) (result i32)
    (local $c i32) (local $d i32) (local $ls i32) (local $ds i32) (local $q i32) (local $n i32)
    (local $i i64) (local $j i64) (local $re f64) (local $im f64) (local $kind i32) (local $sym i32)
    (local.set $n (global.get $n))
    (local.set $kind (global.get $kind))
    (local.set $sym (global.get $sym))
    (global.set $stop (i32.const 0))
    (block $out (loop $line
      (br_if $out (i32.ge_u (local.get $p) (local.get $end)))
      (if (i32.gt_u (i32.add (local.get $n) (i32.const 2)) (global.get $cap))
        (then (global.set $stop (i32.const 1)) (br $out)))
      (local.set $ls (local.get $p))
      (block $bail
        (local.set $c (i32.load8_u (local.get $p)))
        (block $b (loop $bl
          (br_if $b (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
            (i32.eq (local.get $c) (i32.const 13)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $p)))
          (br $bl)))
        ;; blank line, comment line
        (if (i32.eq (local.get $c) (i32.const 10))
          (then
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
            (br $line)))
        (if (i32.eq (local.get $c) (i32.const 37))
          (then
            (block $cm (loop $cml
              (br_if $cm (i32.eq (i32.load8_u (local.get $p)) (i32.const 10)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $cml)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
            (br $line)))
        ;; row index: 1..R, then a blank or tab
        (local.set $ds (local.get $p))
        (local.set $i (i64.const 0))
        (block $rd (loop $rl
          (local.set $d (i32.sub (local.get $c) (i32.const 48)))
          (br_if $rd (i32.gt_u (local.get $d) (i32.const 9)))
          (local.set $i (i64.add (i64.mul (local.get $i) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $p)))
          (br $rl)))
        (br_if $bail (i32.or (i32.eq (local.get $p) (local.get $ds)) (i32.gt_u (i32.sub (local.get $p) (local.get $ds)) (i32.const 18))))
        (br_if $bail (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))))
        (br_if $bail (i32.or (i64.lt_u (local.get $i) (i64.const 1)) (i64.gt_u (local.get $i) (global.get $R))))
        (block $s1 (loop $s1l
          (br_if $s1 (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $p)))
          (br $s1l)))
        ;; column index: 1..C, then a byte <= 32
        (local.set $ds (local.get $p))
        (local.set $j (i64.const 0))
        (block $cd (loop $cl
          (local.set $d (i32.sub (local.get $c) (i32.const 48)))
          (br_if $cd (i32.gt_u (local.get $d) (i32.const 9)))
          (local.set $j (i64.add (i64.mul (local.get $j) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $p)))
          (br $cl)))
        (br_if $bail (i32.or (i32.eq (local.get $p) (local.get $ds)) (i32.gt_u (i32.sub (local.get $p) (local.get $ds)) (i32.const 18))))
        (br_if $bail (i32.gt_u (local.get $c) (i32.const 32)))
        (br_if $bail (i32.or (i64.lt_u (local.get $j) (i64.const 1)) (i64.gt_u (local.get $j) (global.get $C))))
        ;; values
        (if (i32.eq (local.get $kind) (i32.const 2))
          (then (local.set $re (f64.const 1)))
          (else
            (block $s2 (loop $s2l
              (br_if $s2 (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $c (i32.load8_u (local.get $p)))
              (br $s2l)))
            (local.set $q (call $num (local.get $p) (i32.eq (local.get $kind) (i32.const 1))))
            (br_if $bail (i32.lt_s (local.get $q) (i32.const 0)))
            (local.set $p (local.get $q))
            (local.set $re (global.get $val))
            ;; integers have no -0 (as in SciPy's int64)
            (if (i32.eq (local.get $kind) (i32.const 1)) (then (local.set $re (f64.add (local.get $re) (f64.const 0)))))
            (if (i32.eq (local.get $kind) (i32.const 3))
              (then
                (local.set $c (i32.load8_u (local.get $p)))
                (block $s3 (loop $s3l
                  (br_if $s3 (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $c (i32.load8_u (local.get $p)))
                  (br $s3l)))
                (local.set $q (call $num (local.get $p) (i32.const 0)))
                (br_if $bail (i32.lt_s (local.get $q) (i32.const 0)))
                (local.set $p (local.get $q))
                (local.set $im (global.get $val))))))
        ;; end of line: blanks, then '\n' (a comment after the entry is the JS parser's)
        (local.set $c (i32.load8_u (local.get $p)))
        (block $s4 (loop $s4l
          (br_if $s4 (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
            (i32.eq (local.get $c) (i32.const 13)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $p)))
          (br $s4l)))
        (br_if $bail (i32.ne (local.get $c) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (call $put (local.get $n) (i32.wrap_i64 (i64.sub (local.get $i) (i64.const 1))) (i32.wrap_i64 (i64.sub (local.get $j) (i64.const 1)))
          (local.get $re) (local.get $im))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        ;; the mirrored entry of a symmetric kind (the diagonal is not doubled)
        (if (i32.and (i32.ne (local.get $sym) (i32.const 0)) (i64.ne (local.get $i) (local.get $j)))
          (then
            (call $put (local.get $n) (i32.wrap_i64 (i64.sub (local.get $j) (i64.const 1))) (i32.wrap_i64 (i64.sub (local.get $i) (i64.const 1)))
              (if (result f64) (i32.eq (local.get $sym) (i32.const 2))
                (then (if (result f64) (i32.eq (local.get $kind) (i32.const 1))
                  (then (f64.sub (f64.const 0) (local.get $re)))
                  (else (f64.neg (local.get $re)))))
                (else (local.get $re)))
              (select (f64.neg (local.get $im)) (local.get $im) (i32.ge_u (local.get $sym) (i32.const 2))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (br $line))
      ;; bail: this line is the JS parser's
      (global.set $stop (i32.const 2))
      (local.set $p (local.get $ls))))
    (global.set $n (local.get $n))
    (local.get $p))

  ;; The first byte at or after p that is not a blank (' ', '\t', '\r'; with $cr = 0: ' ', '\t').
  (func $blanks (param $p i32) (param $cr i32) (result i32)
    (local $c i32)
    (block $b (loop $l
      (local.set $c (i32.load8_u (local.get $p)))
      (br_if $b (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
        (i32.and (local.get $cr) (i32.eq (local.get $c) (i32.const 13))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
    (local.get $p))

  ;; Parses the array lines in [p, end) (one value each, complex: two; blank and comment lines skipped)
  ;; into re (and im) from entry $n on; returns where it stopped (see $stop). $lines grows by the lines
  ;; parsed, $count by the value lines.
  (func (export "parseArray") (param $p i32) (param $end i32) (result i32)
    (local $c i32) (local $ls i32) (local $q i32) (local $n i32) (local $int i32) (local $complex i32)
    (local.set $n (global.get $n))
    (local.set $int (i32.eq (global.get $kind) (i32.const 1)))
    (local.set $complex (i32.eq (global.get $kind) (i32.const 3)))
    (global.set $stop (i32.const 0))
    (block $out (loop $line
      (br_if $out (i32.ge_u (local.get $p) (local.get $end)))
      (if (i32.ge_u (local.get $n) (global.get $cap))
        (then (global.set $stop (i32.const 1)) (br $out)))
      (local.set $ls (local.get $p))
      (block $bail
        ;; blank line, comment line
        (local.set $p (call $blanks (local.get $p) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 37))
          (then
            (block $cm (loop $cml
              (br_if $cm (i32.eq (i32.load8_u (local.get $p)) (i32.const 10)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $cml)))
            (local.set $c (i32.const 10))))
        (if (i32.eq (local.get $c) (i32.const 10))
          (then
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
            (br $line)))
        ;; the value (integers have no -0, as in SciPy's int64), then the imaginary part
        (local.set $q (call $num (local.get $p) (local.get $int)))
        (br_if $bail (i32.lt_s (local.get $q) (i32.const 0)))
        (f64.store (i32.add (global.get $reAt) (i32.shl (local.get $n) (i32.const 3)))
          (select (f64.add (global.get $val) (f64.const 0)) (global.get $val) (local.get $int)))
        (if (local.get $complex)
          (then
            (local.set $q (call $num (call $blanks (local.get $q) (i32.const 0)) (i32.const 0)))
            (br_if $bail (i32.lt_s (local.get $q) (i32.const 0)))
            (f64.store (i32.add (global.get $imAt) (i32.shl (local.get $n) (i32.const 3))) (global.get $val))))
        ;; end of line: blanks, then '\n' (a comment after the value is the JS parser's)
        (local.set $p (call $blanks (local.get $q) (i32.const 1)))
        (br_if $bail (i32.ne (i32.load8_u (local.get $p)) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (global.set $lines (i32.add (global.get $lines) (i32.const 1)))
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $line))
      ;; bail: this line is the JS parser's
      (global.set $stop (i32.const 2))
      (local.set $p (local.get $ls))))
    (global.set $n (local.get $n))
    (local.get $p))
)
