-- Orders, partitioned by month as mysqldump writes it.
CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id BIGINT UNSIGNED NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id, created_at),
  KEY idx_customer (customer_id)
) ENGINE=InnoDB
/*!50100 PARTITION BY RANGE (TO_DAYS(created_at))
(PARTITION p2026_10 VALUES LESS THAN (TO_DAYS('2026-11-01')) ENGINE = InnoDB,
 PARTITION p2026_11 VALUES LESS THAN (TO_DAYS('2026-12-01')) ENGINE = InnoDB,
 PARTITION pmax VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */;

CREATE TABLE order_events (
  order_id BIGINT UNSIGNED NOT NULL,
  event VARCHAR(32) NOT NULL,
  `ignore` TINYINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_order_event (order_id, event)
) ENGINE=InnoDB;
