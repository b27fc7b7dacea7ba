------------------------------- MODULE Counter -------------------------------
(* A spec for the mutation tests: one guard that matters (x < Max), one    *)
(* that does not (x >= 0: an equivalent mutant when dropped), and a        *)
(* variable no property reads (a surviving mutant when left unchanged).    *)
EXTENDS Naturals

CONSTANT Max

VARIABLES x, y

vars == <<x, y>>

Init == x = 0 /\ y = FALSE

Inc == /\ x < Max
       /\ x >= 0
       /\ x' = x + 1
       /\ UNCHANGED y

Flip == /\ y' = ~y
        /\ UNCHANGED x

Next == Inc \/ Flip

Spec == Init /\ [][Next]_vars

BelowMaxInv == x <= Max
==============================================================================
