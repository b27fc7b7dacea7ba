----------------------------- MODULE Counter -----------------------------
(* A counter that goes round, and a payload that never changes: long traces for refine. *)
EXTENDS Naturals, Sequences
VARIABLES x, payload
Init == x = 0 /\ payload \in Seq(STRING) /\ Len(payload) = 8
Next == x' = (x + 1) % 100 /\ UNCHANGED payload
TypeOK == x \in 0..99
=============================================================================
