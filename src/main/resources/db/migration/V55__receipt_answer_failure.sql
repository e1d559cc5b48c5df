-- Why the answer to a JMS/STOMP/AMQP sender's reply-to could not be delivered (issue 20): the order stays as decided,
-- the message is not dead-lettered, and this says what went wrong (null: answered, or no answer was asked for).
alter table receipts add column answer_failure varchar(1000);
