;; Whole-matrix statistics over float64 values in WebAssembly (see stats-kernel.ts; RunningStats keeps the
;; JS loops for values outside a kernel's memory). Compiled to stats-kernel.wasm.ts by
;; scripts/build-wasm.mjs (stats-kernel.test.ts checks it is up to date).
;;
;; scan: counts (finite, zeros, NaN, +Inf, -Inf), the finite values' sum, min and max of n values.
;; sqdev: the sum of the finite values' squared deviations from a mean.
;; Both take a SIMD path that assumes every value is finite, the common case: a NaN or an infinity
;; makes the sum NaN or infinite, and so does a finite sum that overflows, so one test of the sum at
;; the end tells; scan then redoes the values one by one in order, as RunningStats's JS loop does.
;; The SIMD path adds in four lanes (elements 4i..4i+3), so its sums may differ from the JS loop's in
;; the last bits; min and max are the same values (a -0/+0 tie may come out either way).
(module
  (memory (import "env" "memory") 1)

  ;; scan's results.
  (global $rFinite (export "finite") (mut f64) (f64.const 0))
  (global $rSum (export "sum") (mut f64) (f64.const 0))
  (global $rMin (export "min") (mut f64) (f64.const 0))
  (global $rMax (export "max") (mut f64) (f64.const 0))
  (global $rZeros (export "zeros") (mut f64) (f64.const 0))
  (global $rNan (export "nan") (mut f64) (f64.const 0))
  (global $rPosinf (export "posinf") (mut f64) (f64.const 0))
  (global $rNeginf (export "neginf") (mut f64) (f64.const 0))

  ;; n values at $v; results in the globals above.
  (func (export "scan") (param $v i32) (param $n i32)
    (local $p i32) (local $e i32) (local $end i32)
    (local $a v128) (local $b v128) (local $s0 v128) (local $s1 v128)
    (local $mn0 v128) (local $mn1 v128) (local $mx0 v128) (local $mx1 v128) (local $z v128)
    (local $x f64) (local $s f64) (local $mn f64) (local $mx f64) (local $zeros f64)
    (local $cnt f64) (local $nan f64) (local $pinf f64) (local $ninf f64)
    (local.set $mn0 (v128.const f64x2 inf inf))
    (local.set $mn1 (v128.const f64x2 inf inf))
    (local.set $mx0 (v128.const f64x2 -inf -inf))
    (local.set $mx1 (v128.const f64x2 -inf -inf))
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $e (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    ;; four values at a time: sums in two accumulators, min/max (pmin(m, x) = x < m ? x : m), zeros
    ;; counted as the -1 lanes of x == 0 subtracted
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load offset=16 (local.get $p)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $a)))
        (local.set $s1 (f64x2.add (local.get $s1) (local.get $b)))
        (local.set $mn0 (f64x2.pmin (local.get $mn0) (local.get $a)))
        (local.set $mn1 (f64x2.pmin (local.get $mn1) (local.get $b)))
        (local.set $mx0 (f64x2.pmax (local.get $mx0) (local.get $a)))
        (local.set $mx1 (f64x2.pmax (local.get $mx1) (local.get $b)))
        (local.set $z (i64x2.sub (i64x2.sub (local.get $z)
          (f64x2.eq (local.get $a) (v128.const f64x2 0 0))) (f64x2.eq (local.get $b) (v128.const f64x2 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (local.set $mn0 (f64x2.pmin (local.get $mn0) (local.get $mn1)))
    (local.set $mx0 (f64x2.pmax (local.get $mx0) (local.get $mx1)))
    (local.set $mn (f64x2.extract_lane 0 (local.get $mn0)))
    (local.set $x (f64x2.extract_lane 1 (local.get $mn0)))
    (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
    (local.set $mx (f64x2.extract_lane 0 (local.get $mx0)))
    (local.set $x (f64x2.extract_lane 1 (local.get $mx0)))
    (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))
    (local.set $zeros (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $z)) (i64x2.extract_lane 1 (local.get $z)))))
    ;; the last 0 to 3 values
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f64.load (local.get $p)))
        (local.set $s (f64.add (local.get $s) (local.get $x)))
        (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
        (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))
        (if (f64.eq (local.get $x) (f64.const 0)) (then (local.set $zeros (f64.add (local.get $zeros) (f64.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $tail)))
    (if (f64.eq (f64.sub (local.get $s) (local.get $s)) (f64.const 0))
      (then (local.set $cnt (f64.convert_i32_u (local.get $n))))
      (else
        ;; Some value is not finite (or the sum overflowed): value by value, in order.
        (local.set $s (f64.const 0))
        (local.set $mn (f64.const inf))
        (local.set $mx (f64.const -inf))
        (local.set $zeros (f64.const 0))
        (local.set $p (local.get $v))
        (block $slowDone
          (loop $slow
            (br_if $slowDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $x (f64.load (local.get $p)))
            (if (f64.ne (local.get $x) (local.get $x))
              (then (local.set $nan (f64.add (local.get $nan) (f64.const 1))))
              (else (if (f64.eq (local.get $x) (f64.const inf))
                (then (local.set $pinf (f64.add (local.get $pinf) (f64.const 1))))
                (else (if (f64.eq (local.get $x) (f64.const -inf))
                  (then (local.set $ninf (f64.add (local.get $ninf) (f64.const 1))))
                  (else
                    (if (f64.eq (local.get $x) (f64.const 0)) (then (local.set $zeros (f64.add (local.get $zeros) (f64.const 1)))))
                    (local.set $cnt (f64.add (local.get $cnt) (f64.const 1)))
                    (local.set $s (f64.add (local.get $s) (local.get $x)))
                    (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
                    (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $slow)))))
    (global.set $rFinite (local.get $cnt))
    (global.set $rSum (local.get $s))
    (global.set $rMin (local.get $mn))
    (global.set $rMax (local.get $mx))
    (global.set $rZeros (local.get $zeros))
    (global.set $rNan (local.get $nan))
    (global.set $rPosinf (local.get $pinf))
    (global.set $rNeginf (local.get $ninf)))

  ;; Sum of (x - mean)² over the finite values among the n at $v; $allFinite: scan found no other.
  (func (export "sqdev") (param $v i32) (param $n i32) (param $mean f64) (param $allFinite i32) (result f64)
    (local $p i32) (local $e i32) (local $end i32)
    (local $m v128) (local $d0 v128) (local $d1 v128) (local $s0 v128) (local $s1 v128)
    (local $x f64) (local $d f64) (local $s f64)
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $n) (i32.const 3))))
    (if (local.get $allFinite)
      (then
        (local.set $m (f64x2.splat (local.get $mean)))
        (local.set $e (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
        (block $done
          (loop $four
            (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
            (local.set $d0 (f64x2.sub (v128.load (local.get $p)) (local.get $m)))
            (local.set $d1 (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $m)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $d0) (local.get $d0))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $d1) (local.get $d1))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $four)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))))
    ;; the values left (all of them when some are not finite), one by one
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f64.load (local.get $p)))
        (if (f64.eq (f64.sub (local.get $x) (local.get $x)) (f64.const 0))
          (then
            (local.set $d (f64.sub (local.get $x) (local.get $mean)))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $d) (local.get $d))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $tail)))
    (local.get $s))
)
