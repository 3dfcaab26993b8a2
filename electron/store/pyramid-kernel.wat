;; The dense pyramid's hot loops in WebAssembly: the block-4 aggregation of the rows (PyramidBuilder's
;; addRows4, in SIMD), and a level's Level.writeCurrent and Level.absorb. Compiled to pyramid-kernel.wasm.ts
;; by scripts/build-wasm.mjs (pyramid.test.ts checks it is up to date).
;;
;; Same operations in the same order as the JS loops, so the same bytes. rows4: per row of a cell,
;; s = 0 + x0 + x1 + x2 + x3; if s is finite, sum += s, count += 4 and min/max are chosen pairwise
;; keeping the earlier of equal values (f64x2.pmin(a, b) is b < a ? b : a, exactly addRows4's pick);
;; otherwise value by value over the finite ones. Two cells at a time, one per lane.
;;
;; State: four f64 arrays (min, max, sum, count) indexed by cell; all addresses are byte offsets into
;; the imported memory.
(module
  (memory (import "env" "memory") 1)

  ;; One row of one cell: the 4 values at $p into the cell at byte offset $o of the state arrays.
  (func $cell4 (param $p i32) (param $o i32) (param $mnA i32) (param $mxA i32) (param $smA i32) (param $ctA i32)
    (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64) (local $s f64)
    (local $mn f64) (local $mx f64) (local $a f64) (local $b f64)
    (local $x f64) (local $q f64) (local $k f64) (local $e i32)
    (local.set $x0 (f64.load (local.get $p)))
    (local.set $x1 (f64.load offset=8 (local.get $p)))
    (local.set $x2 (f64.load offset=16 (local.get $p)))
    (local.set $x3 (f64.load offset=24 (local.get $p)))
    (local.set $s (f64.add (f64.add (f64.add (f64.add (f64.const 0) (local.get $x0)) (local.get $x1)) (local.get $x2)) (local.get $x3)))
    (local.set $mn (f64.load (i32.add (local.get $mnA) (local.get $o))))
    (local.set $mx (f64.load (i32.add (local.get $mxA) (local.get $o))))
    (if (f64.eq (f64.sub (local.get $s) (local.get $s)) (f64.const 0))
      (then
        (f64.store (i32.add (local.get $smA) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $smA) (local.get $o))) (local.get $s)))
        (f64.store (i32.add (local.get $ctA) (local.get $o))
          (f64.add (f64.load (i32.add (local.get $ctA) (local.get $o))) (f64.const 4)))
        ;; min: a = x1 < x0 ? x1 : x0, b likewise, m = b < a ? b : a, mn = m < mn ? m : mn
        (local.set $a (select (local.get $x1) (local.get $x0) (f64.lt (local.get $x1) (local.get $x0))))
        (local.set $b (select (local.get $x3) (local.get $x2) (f64.lt (local.get $x3) (local.get $x2))))
        (local.set $a (select (local.get $b) (local.get $a) (f64.lt (local.get $b) (local.get $a))))
        (local.set $mn (select (local.get $a) (local.get $mn) (f64.lt (local.get $a) (local.get $mn))))
        (local.set $a (select (local.get $x1) (local.get $x0) (f64.gt (local.get $x1) (local.get $x0))))
        (local.set $b (select (local.get $x3) (local.get $x2) (f64.gt (local.get $x3) (local.get $x2))))
        (local.set $a (select (local.get $b) (local.get $a) (f64.gt (local.get $b) (local.get $a))))
        (local.set $mx (select (local.get $a) (local.get $mx) (f64.gt (local.get $a) (local.get $mx)))))
      (else
        ;; Some value is not finite, or the finite sum overflowed: value by value.
        (local.set $e (i32.add (local.get $p) (i32.const 32)))
        (loop $each
          (local.set $x (f64.load (local.get $p)))
          (if (f64.eq (f64.sub (local.get $x) (local.get $x)) (f64.const 0))
            (then
              (local.set $k (f64.add (local.get $k) (f64.const 1)))
              (local.set $q (f64.add (local.get $q) (local.get $x)))
              (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
              (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br_if $each (i32.lt_u (local.get $p) (local.get $e))))
        (if (f64.gt (local.get $k) (f64.const 0))
          (then
            (f64.store (i32.add (local.get $smA) (local.get $o))
              (f64.add (f64.load (i32.add (local.get $smA) (local.get $o))) (local.get $q)))
            (f64.store (i32.add (local.get $ctA) (local.get $o))
              (f64.add (f64.load (i32.add (local.get $ctA) (local.get $o))) (local.get $k)))))))
    (f64.store (i32.add (local.get $mnA) (local.get $o)) (local.get $mn))
    (f64.store (i32.add (local.get $mxA) (local.get $o)) (local.get $mx)))

  ;; $g rows (at most one cell row's) of $n whole cells: row i's values start at $v + i * $stride.
  (func (export "rows4") (param $v i32) (param $stride i32) (param $g i32) (param $n i32)
        (param $mnA i32) (param $mxA i32) (param $smA i32) (param $ctA i32)
    (local $cb i32) (local $o i32) (local $p i32) (local $row i32)
    (local $mn v128) (local $mx v128) (local $S v128) (local $C v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $s v128)
    (if (i32.eqz (local.get $g)) (then (return)))
    ;; Pairs of cells: lane 0 is cell cb, lane 1 cell cb + 1.
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $cb) (i32.const 2)) (local.get $n)))
        (local.set $o (i32.shl (local.get $cb) (i32.const 3)))
        (local.set $mn (v128.load (i32.add (local.get $mnA) (local.get $o))))
        (local.set $mx (v128.load (i32.add (local.get $mxA) (local.get $o))))
        (local.set $S (v128.load (i32.add (local.get $smA) (local.get $o))))
        (local.set $C (v128.load (i32.add (local.get $ctA) (local.get $o))))
        (local.set $p (i32.add (local.get $v) (i32.shl (local.get $cb) (i32.const 5))))
        (local.set $row (i32.const 0))
        (loop $rows
          (local.set $a (v128.load (local.get $p)))
          (local.set $b (v128.load offset=16 (local.get $p)))
          (local.set $c (v128.load offset=32 (local.get $p)))
          (local.set $d (v128.load offset=48 (local.get $p)))
          ;; x_k = (cell cb's value k, cell cb+1's value k)
          (local.set $x0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $c)))
          (local.set $x1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $c)))
          (local.set $x2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $b) (local.get $d)))
          (local.set $x3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $b) (local.get $d)))
          (local.set $s (f64x2.add (f64x2.add (f64x2.add (f64x2.add (v128.const f64x2 0 0) (local.get $x0)) (local.get $x1)) (local.get $x2)) (local.get $x3)))
          (if (i64x2.all_true (f64x2.eq (f64x2.sub (local.get $s) (local.get $s)) (v128.const f64x2 0 0)))
            (then
              (local.set $S (f64x2.add (local.get $S) (local.get $s)))
              (local.set $C (f64x2.add (local.get $C) (v128.const f64x2 4 4)))
              (local.set $mn (f64x2.pmin (local.get $mn)
                (f64x2.pmin (f64x2.pmin (local.get $x0) (local.get $x1)) (f64x2.pmin (local.get $x2) (local.get $x3)))))
              (local.set $mx (f64x2.pmax (local.get $mx)
                (f64x2.pmax (f64x2.pmax (local.get $x0) (local.get $x1)) (f64x2.pmax (local.get $x2) (local.get $x3))))))
            (else
              ;; A non-finite value (or an overflowed sum) in either cell: both cells the scalar way.
              (v128.store (i32.add (local.get $mnA) (local.get $o)) (local.get $mn))
              (v128.store (i32.add (local.get $mxA) (local.get $o)) (local.get $mx))
              (v128.store (i32.add (local.get $smA) (local.get $o)) (local.get $S))
              (v128.store (i32.add (local.get $ctA) (local.get $o)) (local.get $C))
              (call $cell4 (local.get $p) (local.get $o) (local.get $mnA) (local.get $mxA) (local.get $smA) (local.get $ctA))
              (call $cell4 (i32.add (local.get $p) (i32.const 32)) (i32.add (local.get $o) (i32.const 8))
                (local.get $mnA) (local.get $mxA) (local.get $smA) (local.get $ctA))
              (local.set $mn (v128.load (i32.add (local.get $mnA) (local.get $o))))
              (local.set $mx (v128.load (i32.add (local.get $mxA) (local.get $o))))
              (local.set $S (v128.load (i32.add (local.get $smA) (local.get $o))))
              (local.set $C (v128.load (i32.add (local.get $ctA) (local.get $o))))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $row) (local.get $g))))
        (v128.store (i32.add (local.get $mnA) (local.get $o)) (local.get $mn))
        (v128.store (i32.add (local.get $mxA) (local.get $o)) (local.get $mx))
        (v128.store (i32.add (local.get $smA) (local.get $o)) (local.get $S))
        (v128.store (i32.add (local.get $ctA) (local.get $o)) (local.get $C))
        (local.set $cb (i32.add (local.get $cb) (i32.const 2)))
        (br $pairs)))
    ;; An odd last cell.
    (if (i32.lt_u (local.get $cb) (local.get $n))
      (then
        (local.set $o (i32.shl (local.get $cb) (i32.const 3)))
        (local.set $p (i32.add (local.get $v) (i32.shl (local.get $cb) (i32.const 5))))
        (local.set $row (i32.const 0))
        (loop $rows
          (call $cell4 (local.get $p) (local.get $o) (local.get $mnA) (local.get $mxA) (local.get $smA) (local.get $ctA))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $row) (local.get $g)))))))
;; Level.writeCurrent's conversion of $n cells: count as u32, min/max/sum as f32 (NaN when the count is 0).
  (func (export "store") (param $n i32) (param $mnA i32) (param $mxA i32) (param $smA i32) (param $ctA i32)
        (param $fmn i32) (param $fmx i32) (param $fsm i32) (param $u4 i32)
    (local $o i32) (local $e i32) (local $c f64)
    (local.set $e (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $cells
        (br_if $done (i32.ge_u (local.get $o) (local.get $e)))
        (local.set $c (f64.load (i32.add (local.get $ctA) (local.get $o))))
        ;; the low 32 bits, as a JS Uint32Array store does
        (i32.store (i32.add (local.get $u4) (i32.shr_u (local.get $o) (i32.const 1)))
          (i32.wrap_i64 (i64.trunc_sat_f64_u (local.get $c))))
        (if (f64.gt (local.get $c) (f64.const 0))
          (then
            (f32.store (i32.add (local.get $fmn) (i32.shr_u (local.get $o) (i32.const 1))) (f32.demote_f64 (f64.load (i32.add (local.get $mnA) (local.get $o)))))
            (f32.store (i32.add (local.get $fmx) (i32.shr_u (local.get $o) (i32.const 1))) (f32.demote_f64 (f64.load (i32.add (local.get $mxA) (local.get $o)))))
            (f32.store (i32.add (local.get $fsm) (i32.shr_u (local.get $o) (i32.const 1))) (f32.demote_f64 (f64.load (i32.add (local.get $smA) (local.get $o))))))
          (else
            (f32.store (i32.add (local.get $fmn) (i32.shr_u (local.get $o) (i32.const 1))) (f32.const nan))
            (f32.store (i32.add (local.get $fmx) (i32.shr_u (local.get $o) (i32.const 1))) (f32.const nan))
            (f32.store (i32.add (local.get $fsm) (i32.shr_u (local.get $o) (i32.const 1))) (f32.const nan))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $cells))))

;; Level.absorb: a finer level's $n cells (state at $f*) merged into the coarser one's (cells j>>1, at
  ;; the others). Level.absorb skips empty finer cells; adding them changes nothing here (count += 0,
  ;; sum += +0 to a sum that is never -0, min/max against ±Infinity), so there is no branch: two coarse
  ;; cells at a time, each taking its even then its odd finer cell as the JS loop does.
  (func (export "absorb") (param $n i32) (param $fmnA i32) (param $fmxA i32) (param $fsmA i32) (param $fctA i32)
        (param $mnA i32) (param $mxA i32) (param $smA i32) (param $ctA i32)
    (local $o i32) (local $O i32) (local $e i32) (local $a v128) (local $b v128)
    (local $x f64) (local $y f64)
    ;; whole groups of 4 finer cells (32 bytes)
    (local.set $e (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (block $done
      (loop $cells
        (br_if $done (i32.ge_u (local.get $o) (local.get $e)))
        (local.set $O (i32.shr_u (local.get $o) (i32.const 1)))
        (local.set $a (v128.load (i32.add (local.get $fctA) (local.get $o))))
        (local.set $b (v128.load offset=16 (i32.add (local.get $fctA) (local.get $o))))
        (v128.store (i32.add (local.get $ctA) (local.get $O))
          (f64x2.add (f64x2.add (v128.load (i32.add (local.get $ctA) (local.get $O)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
        (local.set $a (v128.load (i32.add (local.get $fsmA) (local.get $o))))
        (local.set $b (v128.load offset=16 (i32.add (local.get $fsmA) (local.get $o))))
        (v128.store (i32.add (local.get $smA) (local.get $O))
          (f64x2.add (f64x2.add (v128.load (i32.add (local.get $smA) (local.get $O)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
        (local.set $a (v128.load (i32.add (local.get $fmnA) (local.get $o))))
        (local.set $b (v128.load offset=16 (i32.add (local.get $fmnA) (local.get $o))))
        (v128.store (i32.add (local.get $mnA) (local.get $O))
          (f64x2.pmin (f64x2.pmin (v128.load (i32.add (local.get $mnA) (local.get $O)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
        (local.set $a (v128.load (i32.add (local.get $fmxA) (local.get $o))))
        (local.set $b (v128.load offset=16 (i32.add (local.get $fmxA) (local.get $o))))
        (v128.store (i32.add (local.get $mxA) (local.get $O))
          (f64x2.pmax (f64x2.pmax (v128.load (i32.add (local.get $mxA) (local.get $O)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $cells)))
    ;; the last 1 to 3 finer cells one by one
    (local.set $e (i32.shl (local.get $n) (i32.const 3)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $o) (local.get $e)))
        (local.set $O (i32.and (i32.shr_u (local.get $o) (i32.const 1)) (i32.const -8)))
        (f64.store (i32.add (local.get $ctA) (local.get $O))
          (f64.add (f64.load (i32.add (local.get $ctA) (local.get $O))) (f64.load (i32.add (local.get $fctA) (local.get $o)))))
        (f64.store (i32.add (local.get $smA) (local.get $O))
          (f64.add (f64.load (i32.add (local.get $smA) (local.get $O))) (f64.load (i32.add (local.get $fsmA) (local.get $o)))))
        (local.set $x (f64.load (i32.add (local.get $fmnA) (local.get $o))))
        (local.set $y (f64.load (i32.add (local.get $mnA) (local.get $O))))
        (f64.store (i32.add (local.get $mnA) (local.get $O)) (select (local.get $x) (local.get $y) (f64.lt (local.get $x) (local.get $y))))
        (local.set $x (f64.load (i32.add (local.get $fmxA) (local.get $o))))
        (local.set $y (f64.load (i32.add (local.get $mxA) (local.get $O))))
        (f64.store (i32.add (local.get $mxA) (local.get $O)) (select (local.get $x) (local.get $y) (f64.gt (local.get $x) (local.get $y))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $tail))))
)
