---------------------------- MODULE Values ----------------------------
(* One state holding one value of every kind, then a step that changes two of them. *)
EXTENDS Integers, Sequences, TLC
CONSTANTS P, Q
VARIABLES int, big, neg, str, set, seq, rec, fun, mv, nested
Init == /\ int = 42
        /\ big = 2147483647
        /\ neg = -7
        /\ str = "a \"quoted\" string"
        /\ set = {3, 1, 2}
        /\ seq = <<"x", "y">>
        /\ rec = [a |-> 1, b |-> {P}]
        /\ fun = (P :> 1 @@ Q :> 2)
        /\ mv = P
        /\ nested = [k |-> <<{}, <<>>, {<<1, P>>}>>]
Flip == /\ mv' = Q
        /\ neg' = neg - 1
        /\ UNCHANGED <<int, big, str, set, seq, rec, fun, nested>>
Spec == Init /\ [][Flip]_<<int, big, neg, str, set, seq, rec, fun, mv, nested>>
NotFlipped == mv = P
=======================================================================
