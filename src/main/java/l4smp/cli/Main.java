package l4smp.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("l4smp");
    }
}
