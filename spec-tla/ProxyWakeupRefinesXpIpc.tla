---------------------- MODULE ProxyWakeupRefinesXpIpc ----------------------
(***************************************************************************)
(* ProxyWakeup implements the proxy behaviour XpIpc assumes (issue 13,     *)
(* item 6).  XpIpc gives each cross-processor send a proxy of its own,     *)
(* Px(t), which is woken by check_n_ack, runs xp_send_path and ends with   *)
(* wakeup_sender; ProxyWakeup (and the kernel) share one proxy per pair of *)
(* CPUs that works through a list of mailboxes (8.3.5 get_ipc_proxy, 8.4). *)
(* This module maps every ProxyWakeup state to an XpIpc state and checks,  *)
(* as TLC properties, that                                                 *)
(*   XSpec               every ProxyWakeup behaviour is an XpIpc behaviour *)
(*                       (each step is an XpIpc step or stutters);         *)
(*   X!SendCompletesProp, X!XpSenderResumesProp   XpIpc's liveness results *)
(*                       hold of the mapped behaviours under ProxyWakeup's *)
(*                       own fairness (FairSpecA);                         *)
(*   X!<invariants>      XpIpc's invariants hold of the mapped states.     *)
(*                                                                         *)
(* The mapping, for XpIpc's variables (Px(t) is XpIpc's proxy of t; M(t)   *)
(* is the mailbox in use whose sender is t, a sender holds at most one):   *)
(*   cpu          Home                                                     *)
(*   st[t]        running as ready; running with the reply linked          *)
(*                (check_n_ack ran, XP_RETURN not yet) as locked_waiting,  *)
(*                since XpIpc merges that check_n_ack into XP_RETURN       *)
(*   st[Px(t)]    the state of the proxy instance whose current mailbox is *)
(*                M(t) (polling or locked_running); ready while M(t) is    *)
(*                linked in a proxy's list behind others; else waiting    *)
(*   partner      partner; Px(t)'s is that of the proxy working on M(t)    *)
(*   proxy[t]     Px(t) while proxyPtr[t] is set                           *)
(*   xpCc         xpCc                                                     *)
(*   args, nops, cc   from Prog and pc: t's current op once it has begun   *)
(*                (a send: M(t) allocated; a receive: t blocked in it),    *)
(*                the count of begun ops, the last code of results         *)
(*   sendQ        sendQ                                                    *)
(*   wakeupQ[c]   wakeupQ[c], a proxy as Px of the sender it polls for     *)
(*   mb[t]        M(t): "request" while flagged towards a proxy, "linked"  *)
(*                once check_n_ack hooked it, "reply" after wakeup_sender  *)
(*   sentTo, rcvdBy   from Prog, pc, results and xpCc: a begun send names  *)
(*                its addressee; a delivered message (the send's code, or  *)
(*                xp_cc, is ok) has been returned to it                    *)
(*   xpSeen       Nil (XpIpc's Direct variant only)                        *)
(*   inbox, by    auxiliary variables, see below                           *)
(*                                                                         *)
(* Two auxiliary variables (Abadi and Lamport's refinement with history    *)
(* and stuttering variables; the ProxyWakeup variables are unchanged):     *)
(*   pend   ProxyWakeup ends the receiver's IPC in the proxy's transfer    *)
(*          step (ProxyTransmit); XpIpc, like the kernel, lets the         *)
(*          receiver return in a step of its own (ReceiverReturn), with    *)
(*          the message in its buffer in between.  pend adds that one      *)
(*          stuttering step right after each transfer: while pend is set,  *)
(*          the receiver pend.rcv maps to locked_waiting with the message  *)
(*          pend.msg in its inbox, and no other step can be taken.         *)
(*   by     XpIpc's history of the CPU of its last step: the CPU of the    *)
(*          last ProxyWakeup step that changed the mapped state.           *)
(*                                                                         *)
(* What the mapping needs of ProxyWakeup: the fixes TempProxyCopy and      *)
(* CheckProxySender (without them, ProxyWakeup has steps XpIpc does not:   *)
(* configs ProxyWakeupNoTempCopy, ProxyWakeupNoSenderCheck).  XpIpc is     *)
(* instanced with Variant "Proxy", no fix removed, and every operation and *)
(* timeout (ProxyWakeup's programs use send, receive and open receive).    *)
(*                                                                         *)
(* What it does not give: XpIpc's fairness.  XpIpc's weak fairness of      *)
(* ProxyXpSendPath(t) says that a linked request is eventually served.     *)
(* With one proxy per pair (8.4) it is not: a request linked behind one    *)
(* whose receiver never receives waits for ever (head-of-line blocking,    *)
(* 8.4.4), and X!SendCompletesProp fails (config                           *)
(* ProxyWakeupRefinesXpIpcHeadOfLine).  The kernel's design hands the      *)
(* waiting proxy's list to another instance of its pair (decision 0004,    *)
(* ProxyWakeup's constant Handover); with it the liveness results hold     *)
(* (config ProxyWakeupRefinesXpIpcHandover).                               *)
(***************************************************************************)
EXTENDS MCProxyWakeup

VARIABLES pend, by

avars == <<vars, pend, by>>

\* The longest program: XpIpc's MaxOps.
MaxLen == LET lens == {Len(Prog[t]) : t \in Thread} IN
          CHOOSE n \in lens : \A k \in lens : k <= n

SendsOf(t) == {m \in Mailbox : ~mb[m].free /\ mb[m].sender = t}
HasMb(t)   == SendsOf(t) # {}
TheMb(t)   == CHOOSE m \in SendsOf(t) : TRUE
IsReply(m) == mb[m].proxy \in Thread
\* The proxy instance whose operation in work is mailbox m, or Nil.
Performer(m) == IF \E q \in Proxy : curMb[q] = m THEN CHOOSE q \in Proxy : curMb[q] = m ELSE Nil

PendRcv == IF pend = Nil THEN Nil ELSE pend.rcv

\* XpIpc's names of its proxies and TCBs (XpIpc!Px, XpIpc!Tcb).
XPx(t) == <<"proxy", t>>
XTcb   == Thread \cup {XPx(t) : t \in Thread}

\* t has begun its current op: a send once it holds a mailbox, a receive
\* once it blocks in it (a zero-timeout receive ends in the step it begins).
OpBegun(t) ==
    /\ HasOp(t)
    /\ IF CurOp(t).kind = "send" THEN HasMb(t) ELSE st[t] \in {Waiting, LockedWaiting}

ArgsOf(op) ==
    CASE op.kind = "send" -> [op |-> OpSend, dest |-> op.peer, sto |-> op.timeout, rto |-> Nil]
      [] op.peer = Nil    -> [op |-> OpOpenReceive, dest |-> Nil, sto |-> Nil, rto |-> op.timeout]
      [] OTHER            -> [op |-> OpReceive, dest |-> op.peer, sto |-> Nil, rto |-> op.timeout]

XArgs(t) ==
    IF t = PendRcv THEN ArgsOf(Prog[t][pc[t] - 1])
    ELSE IF OpBegun(t) THEN ArgsOf(CurOp(t)) ELSE Nil

XNops(t) == pc[t] - 1 + IF t # PendRcv /\ OpBegun(t) THEN 1 ELSE 0

XCc(t) == IF XArgs(t) # Nil \/ results[t] = <<>> THEN CcNone ELSE results[t][Len(results[t])]

XProxyState(t) ==
    IF HasMb(t) /\ ~IsReply(TheMb(t)) /\ ~mb[TheMb(t)].flag
    THEN LET q == Performer(TheMb(t)) IN IF q = Nil THEN Ready ELSE st[q]
    ELSE Waiting

XSt == [x \in XTcb |->
          IF x \in Thread
          THEN IF x = PendRcv THEN LockedWaiting
               ELSE IF st[x] = Running THEN IF firstMb[x] # Nil THEN LockedWaiting ELSE Ready
               ELSE st[x]
          ELSE XProxyState(x[2])]

XPartner == [x \in XTcb |->
               IF x \in Thread
               THEN IF x = PendRcv THEN pend.msg[1] ELSE partner[x]
               ELSE IF HasMb(x[2]) /\ Performer(TheMb(x[2])) # Nil
                    THEN partner[Performer(TheMb(x[2]))] ELSE Nil]

XProxy == [t \in Thread |-> IF proxyPtr[t] # Nil THEN XPx(t) ELSE Nil]

XInbox == [t \in Thread |-> IF t = PendRcv THEN <<pend.msg>> ELSE <<>>]

XWakeupQ ==
    [d \in CPU |->
        (wakeupQ[d] \cap Thread)
        \cup {XPx(mb[curMb[q]].sender) : q \in wakeupQ[d] \cap Proxy}
        \cup (IF pend # Nil /\ pend.queued /\ Home[pend.rcv] = d THEN {pend.rcv} ELSE {})]

XMb ==
    [t \in Thread |->
        IF ~HasMb(t) THEN Nil
        ELSE LET m == TheMb(t) IN
             [state |-> IF IsReply(m) THEN "reply" ELSE IF mb[m].flag THEN "request" ELSE "linked",
              cpu   |-> IF IsReply(m) THEN Home[t] ELSE Home[mb[m].dest],
              to    |-> mb[m].dest,
              msg   |-> <<t, pc[t]>>,
              tmo   |-> mb[m].timeout]]

XSentTo ==
    [m \in Thread \X (1..MaxLen) |->
        IF m[2] <= XNops(m[1]) /\ Prog[m[1]][m[2]].kind = "send"
        THEN Prog[m[1]][m[2]].peer ELSE Nil]

\* s's n-th op is a send whose message reached its receiver.
Delivered(s, n) ==
    /\ n <= Len(Prog[s]) /\ Prog[s][n].kind = "send"
    /\ \/ n < pc[s] /\ results[s][n] = CcOk
       \/ n = pc[s] /\ xpCc[s] = CcOk

XRcvdBy ==
    [m \in Thread \X (1..MaxLen) |->
        IF Delivered(m[1], m[2]) /\ ~(pend # Nil /\ pend.msg = m)
        THEN << [by |-> Prog[m[1]][m[2]].peer, from |-> m[1]] >> ELSE << >>]

X == INSTANCE XpIpc WITH
        MaxOps <- MaxLen,
        Ops <- {OpSend, OpReceive, OpOpenReceive},
        Timeouts <- Timeout,
        Variant <- "Proxy",
        RemovedFix <- "none",
        Events <- {},            \* XpIpc's aborts and transfer errors: ProxyWakeup has none
        cpu <- Home,
        st <- XSt,
        partner <- XPartner,
        proxy <- XProxy,
        xpCc <- xpCc,
        xpAbort <- [t \in Thread |-> FALSE],
        args <- [t \in Thread |-> XArgs(t)],
        nops <- [t \in Thread |-> XNops(t)],
        cc <- [t \in Thread |-> XCc(t)],
        inbox <- XInbox,
        sendQ <- sendQ,
        wakeupQ <- XWakeupQ,
        mb <- XMb,
        xpSeen <- [t \in Thread |-> Nil],
        by <- by,
        sentTo <- XSentTo,
        rcvdBy <- XRcvdBy,
        \* ---- xpkill (issue 10): XpIpc's deletions; ProxyWakeup's threads never die ----
        dying <- {}

\* Everything XpIpc sees but `by`.
Seen == <<XSt, XPartner, XProxy, xpCc, XInbox, sendQ, XWakeupQ, XMb, XSentTo, XRcvdBy,
          [t \in Thread |-> XArgs(t)], [t \in Thread |-> XNops(t)], [t \in Thread |-> XCc(t)]>>

-----------------------------------------------------------------------------
(* The augmented spec: ProxyWakeup's steps, each with the CPU it runs on,  *)
(* and the receiver's return after a transfer.                             *)

\* The step ends receiver r's receive with ok: only a proxy's transfer does.
Transfers(r) ==
    /\ pc'[r] = pc[r] + 1 /\ CurOp(r).kind = "recv"
    /\ results'[r] = Append(results[r], CcOk)

Aux(d) ==
    /\ pend' = IF \E x \in Thread : HasOp(x) /\ Transfers(x)
               THEN LET r == CHOOSE x \in Thread : HasOp(x) /\ Transfers(x)
                        s == CHOOSE x \in Thread : xpCc[x] = CcNone /\ xpCc'[x] = CcOk
                    IN [rcv |-> r, msg |-> <<s, pc[s]>>, queued |-> r \in wakeupQ[Home[r]]]
               ELSE Nil
    /\ by' = IF Seen' = Seen THEN by ELSE d

ReceiverReturns ==
    /\ pend # Nil
    /\ pend' = Nil
    /\ by' = Home[pend.rcv]
    /\ UNCHANGED vars

InitA == Init /\ pend = Nil /\ by = Nil

NextA ==
    \/ ReceiverReturns
    \/ /\ pend = Nil
       /\ \/ \E t \in Thread : (ThreadStep(t) \/ TimerReceiveTimeout(t)) /\ Aux(Home[t])
          \/ \E p \in Proxy : (ProxyStep(p) \/ TimerSendTimeout(p)) /\ Aux(p[2])
          \/ \E d \in CPU : (CpuIpiHandler(d) \/ CpuCheckAndAck(d) \/ CpuIcrRetry(d)) /\ Aux(d)
          \* an operation mailbox (OpsPerCpu > 0): XpIpc has none; its steps
          \* change nothing XpIpc sees, so they are its stuttering steps
          \/ \E d \in CPU : OpStep(d) /\ Aux(d)
          \/ Terminating /\ UNCHANGED <<pend, by>>

SpecA == InitA /\ [][NextA]_avars

\* ProxyWakeup's fairness, and the receiver's return is taken.
FairSpecA == SpecA /\ Fairness /\ WF_avars(ReceiverReturns)

XSpec == X!Spec

\* XpIpc's properties of the mapped behaviours (a cfg names only defined
\* operators of the module it checks).
XTypeOK == X!TypeOK
XOneIpcPerReceiverInv == X!OneIpcPerReceiverInv
XNoLostWakeupInv == X!NoLostWakeupInv
XSendQueueInv == X!SendQueueInv
XInboxInv == X!InboxInv
XMsgOnceInv == X!MsgOnceInv
XMsgAddresseeInv == X!MsgAddresseeInv
XMsgUnchangedInv == X!MsgUnchangedInv
XCompletionCodeInv == X!CompletionCodeInv
XProxyPointerInv == X!ProxyPointerInv
XWakeupQueueInv == X!WakeupQueueInv
XReplyInFlightInv == X!ReplyInFlightInv
XSendResultInv == X!SendResultInv
XPartnerInv == X!PartnerInv
XClosedSourceInv == X!ClosedSourceInv
XSendCompletesProp == X!SendCompletesProp
XXpSenderResumesProp == X!XpSenderResumesProp
=============================================================================
