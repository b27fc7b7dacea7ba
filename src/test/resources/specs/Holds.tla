---------------------------- MODULE Holds ----------------------------
(* A counter that wraps around: every state is fine.  6 distinct states. *)
EXTENDS Naturals
CONSTANT N
VARIABLE x, y
Init == x = 0 /\ y = "even"
Step == x' = (x + 1) % N /\ y' = IF (x + 1) % 2 = 0 THEN "even" ELSE "odd"
Spec == Init /\ [][Step]_<<x, y>>
TypeOK == x \in 0..(N - 1) /\ y \in {"even", "odd"}
=======================================================================
