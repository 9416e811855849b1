exports.handler = async (event) => {
  const topic = process.env.TOPIC;
  console.log(`would publish order ${event.orderId} to ${topic}`);
  return { topic, orderId: event.orderId };
};
