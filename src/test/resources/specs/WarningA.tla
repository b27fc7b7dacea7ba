---- MODULE WarningA ----
Foo == 1
====
