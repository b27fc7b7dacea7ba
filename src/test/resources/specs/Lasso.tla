---------------------------- MODULE Lasso ----------------------------
(* A light that goes green -> yellow -> red -> green and may also skip
   from red back to green without ever showing "off": Off is never reached. *)
VARIABLE light
Init == light = "green"
ToYellow == light = "green" /\ light' = "yellow"
ToRed == light = "yellow" /\ light' = "red"
ToGreen == light = "red" /\ light' = "green"
Next == ToYellow \/ ToRed \/ ToGreen
Spec == Init /\ [][Next]_light /\ WF_light(Next)
EventuallyOff == <>(light = "off")
=======================================================================
