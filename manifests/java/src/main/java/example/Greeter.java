package example;

/** Greets whoever the event names; counts the invocations its execution environment has served. */
public class Greeter {
    private int invocations;

    /** The event, read by the runtime from JSON. */
    public static class Person {
        public String firstname;
        public String surname;
    }

    /** The response, written by the runtime as JSON. */
    public static class Greeting {
        public String message;
        public int invocations;
    }

    public Greeting greet(Person person) {
        invocations++;
        String name = person.firstname + " " + person.surname;
        System.out.println("greeting " + name);
        Greeting greeting = new Greeting();
        greeting.message = System.getenv().getOrDefault("GREETING", "Hello") + " " + name + "!";
        greeting.invocations = invocations;
        return greeting;
    }
}
