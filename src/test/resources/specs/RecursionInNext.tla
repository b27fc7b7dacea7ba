-------------------------- MODULE RecursionInNext --------------------------
(* A recursive function without a base case, reached only from an action; and a deep but finite
   recursion, which must still evaluate (3000 overflowed once while TLC's evaluator ran interpreted). *)
EXTENDS Naturals
VARIABLE x
RECURSIVE Sum(_)
Sum(k) == IF k = 0 THEN 0 ELSE k + Sum(k - 1)
f[n \in Nat] == f[n + 1]
Init == x = Sum(1000)
Next == x' = f[x]
=============================================================================
