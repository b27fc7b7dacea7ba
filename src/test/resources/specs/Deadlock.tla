---------------------------- MODULE Deadlock ----------------------------
(* Counts to 3 and stops: the state x = 3 has no successor. *)
EXTENDS Naturals
VARIABLE x
Init == x = 0
Inc == x < 3 /\ x' = x + 1
Spec == Init /\ [][Inc]_x
=======================================================================
