---------------------------- MODULE Recursion ----------------------------
(* A recursion without a base case, reached from Init: TLC must fail fast, not search for minutes. *)
EXTENDS Naturals
VARIABLE x
RECURSIVE F(_)
F(n) == F(n + 1) + 1
Init == x = F(0)
Next == x' = x
=============================================================================
