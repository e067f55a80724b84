package io.warren.broker;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("Warren: not yet");
    }
}
