--------------------------- MODULE MCProxyWakeup ---------------------------
(***************************************************************************)
(* Model values for ProxyWakeup: the CPUs, threads, their CPUs, their      *)
(* programs and the CPUs' mailbox pools, one set per scenario.  Threads and CPUs are model values     *)
(* named in the cfg (TLC cannot compare the strings a thread name would be *)
(* with the <<source, destination>> pairs that name proxies).  The         *)
(* programs name threads, so no scenario is symmetric and no config uses   *)
(* SYMMETRY.                                                               *)
(***************************************************************************)
EXTENDS ProxyWakeup

CONSTANTS a, b, c,                  \* CPUs
          A, B, C, A1, A2, A4, A5   \* threads

N == TimeoutNever
F == TimeoutFinite
Z == TimeoutZero

(* small: one sender on a, one receiver on b; a closed and an open receive, *)
(* a finite send and receive timeout.                                        *)
SmallCpu    == {a, b}
SmallThread == {A, B}
SmallHome   == [t \in SmallThread |-> IF t = A THEN a ELSE b]
SmallProg   ==
    [t \in SmallThread |->
        IF t = A THEN << SendOp(B, N), SendOp(B, F) >>
                   ELSE << RecvOp(A, N), RecvOp(Nil, F) >>]
SmallPool   == [x \in SmallCpu |-> IF x = a THEN {1} ELSE {2}]

(* standard: three CPUs.  A1 and A2 on a share the proxy <<a, b>> (its     *)
(* list can hold two mailboxes, and A2's finite send may hold up A1's until *)
(* it times out); C sends to B from c through <<c, b>> with timeout zero;   *)
(* B answers A1 through <<b, a>>.  B receives from A1 before it answers (an *)
(* open first receive could answer A1 while A1 still sends to B: a          *)
(* user-level deadlock).                                                    *)
StdCpu    == {a, b, c}
StdThread == {A1, A2, B, C}
StdHome   == [t \in StdThread |-> CASE t = B -> b [] t = C -> c [] OTHER -> a]
StdProg   ==
    [t \in StdThread |->
        CASE t = A1 -> << SendOp(B, N), RecvOp(B, N) >>
          [] t = A2 -> << SendOp(B, F) >>
          [] t = C  -> << SendOp(B, Z) >>
          [] t = B  -> << RecvOp(A1, N), SendOp(A1, N), RecvOp(Nil, F) >>]
StdPool   == [x \in StdCpu |-> CASE x = a -> {1, 2} [] x = b -> {3} [] x = c -> {4}]

(* proxy pointer (8.3.5, second interval): B receives from A twice; between *)
(* them A sends to C on a third CPU, whose proxy clears A's proxy pointer.  *)
PtrCpu    == {a, b, c}
PtrThread == {A, B, C}
PtrHome   == [t \in PtrThread |-> CASE t = A -> a [] t = B -> b [] t = C -> c]
PtrProg   ==
    [t \in PtrThread |->
        CASE t = A -> << SendOp(B, N), SendOp(C, N), SendOp(B, N) >>
          [] t = B -> << RecvOp(A, N), RecvOp(A, N) >>
          [] t = C -> << RecvOp(Nil, N) >>]
PtrPool   == [x \in PtrCpu |-> CASE x = a -> {1} [] x = b -> {2} [] x = c -> {3}]

(* three IPIs (8.3.3, last paragraph): B first sends to A5 and waits for    *)
(* its reply; meanwhile A1 and A2 send to B (two IPIs to b, their proxy     *)
(* operations block until B receives) and A4 sends to B, needing a third    *)
(* IPI.  A5 receives only when CPU a runs.                                   *)
HangCpu    == {a, b}
HangThread == {A1, A2, A4, A5, B}
HangHome   == [t \in HangThread |-> IF t = B THEN b ELSE a]
HangProg   ==
    [t \in HangThread |->
        CASE t = B  -> << SendOp(A5, N), RecvOp(Nil, N), RecvOp(Nil, N), RecvOp(Nil, N) >>
          [] t = A5 -> << RecvOp(B, N) >>
          [] OTHER    -> << SendOp(B, N) >>]
HangPool   == [x \in HangCpu |-> IF x = a THEN {1, 2, 3} ELSE {4, 5}]

(* two receivers on one CPU: A sends to C, then to B, while B waits for A  *)
(* (A and C with finite timeouts, so that either may give up).             *)
(* The proxy <<a, b>> polls for C on A's behalf when B receives from A: B   *)
(* must see that the proxy is not ready to send to it ("not to B").         *)
TwoCpu    == {a, b}
TwoThread == {A, B, C}
TwoHome   == [t \in TwoThread |-> IF t = A THEN a ELSE b]
TwoProg   ==
    [t \in TwoThread |->
        CASE t = A -> << SendOp(C, F), SendOp(B, N) >>
          [] t = B -> << RecvOp(A, N) >>
          [] t = C -> << RecvOp(A, F) >>]
TwoPool   == [x \in TwoCpu |-> IF x = a THEN {1} ELSE {}]

(* head-of-line blocking (8.4.4): A1 and A2 on a share the proxy <<a, b>>;  *)
(* A1 sends to B, which never receives, A2 to C, which receives from A2.    *)
(* With one proxy per pair, A2's request may wait behind A1's for ever.     *)
HolCpu    == {a, b}
HolThread == {A1, A2, B, C}
HolHome   == [t \in HolThread |-> IF t \in {A1, A2} THEN a ELSE b]
HolProg   ==
    [t \in HolThread |->
        CASE t = A1 -> << SendOp(B, N) >>
          [] t = A2 -> << SendOp(C, N) >>
          [] t = B  -> << >>
          [] t = C  -> << RecvOp(A2, N) >>]
HolPool   == [x \in HolCpu |-> IF x = a THEN {1, 2} ELSE {}]

(* operations: one send from A on a to B on b, with one operation mailbox *)
(* per CPU (OpsPerCpu = 1) posted by the environment.                       *)
OpCpu    == {a, b}
OpThread == {A, B}
OpHome   == [t \in OpThread |-> IF t = A THEN a ELSE b]
OpProg   == [t \in OpThread |-> IF t = A THEN << SendOp(B, N) >> ELSE << RecvOp(A, N) >>]
OpPool   == [x \in OpCpu |-> IF x = a THEN {1} ELSE {2}]
\* State constraint of the operation configs: only CPU a's operation
\* mailbox is posted (to a, b or both), which keeps them small.
OnlyAPosts == \A m \in OpMailbox : m[1] # a => opPhase[m] = "free"

\* A1, A2 and A4 are interchangeable (same CPU, same program).
HangSymmetry == Permutations({A1, A2, A4})

(* Witness of head-of-line blocking (8.4.4): a shared proxy polls for the  *)
(* receiver of the first mailbox in its list while the receiver of the     *)
(* second waits for that mailbox's sender; the second request could be     *)
(* delivered at once but waits behind the first (until its timeout).       *)
DebugHeadOfLineBlocking ==
    ~\E p \in Proxy :
        LET l == MbList(p) IN
        /\ Len(l) >= 2 /\ st[p] = Polling
        /\ LET d == mb[l[2]].dest IN
           st[d] = Waiting /\ partner[d] \in {mb[l[2]].sender, Nil}
(* Operation mailboxes (OpsPerCpu > 0): witnesses that each of their       *)
(* actions fires (configs ProxyWakeupFiresOp*: a dead action would pass    *)
(* every other config unnoticed), and that an operation mailbox and an IPC *)
(* mailbox are flagged on one CPU under one unacknowledged IPI -- the      *)
(* shared flag line and "if not yet acknowledged" of 8.3.4.                *)
DebugOpPostFires == [][~\E d \in CPU : \E k \in 1..OpsPerCpu : OpPost(<<d, k>>)]_vars
DebugOpProxyPerformFires == [][~\E d \in CPU : OpProxyPerform(d)]_vars
DebugOpCallerReturnFires == [][~\E m \in OpMailbox : OpCallerReturn(m)]_vars
DebugOpSharesIpi == ~\E d \in CPU : Flagged(d) # {} /\ OpFlagged(d) # {} /\ irr[d] = 1
=============================================================================
