---------------------------- MODULE Transfer ----------------------------
(* Two accounts; a withdrawal does not check the balance, so it can overdraw. *)
EXTENDS Integers, Sequences
CONSTANT Accounts, Amount
VARIABLES balance, log

Init == /\ balance = [a \in Accounts |-> 1]
        /\ log = <<>>

Withdraw(a) == /\ balance' = [balance EXCEPT ![a] = @ - Amount]
               /\ log' = Append(log, [acct |-> a, amount |-> Amount])

Deposit(a) == /\ balance[a] < 2
              /\ balance' = [balance EXCEPT ![a] = @ + 1]
              /\ log' = Append(log, [acct |-> a, amount |-> -1])

Next == \E a \in Accounts : Withdraw(a) \/ Deposit(a)
Spec == Init /\ [][Next]_<<balance, log>>

NoOverdraft == \A a \in Accounts : balance[a] >= 0
=======================================================================
