// Package orders stores order events for the demo service.
package orders

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	sq "github.com/Masterminds/squirrel"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

const eventsTable = "order_events"

const (
	// Found: the incident again, assembled from constants across two lines.
	recordEvent = "INSERT IGNORE INTO " + eventsTable + " (order_id, event) " +
		"VALUES (?, ?)"

	// Fine: duplicates handled explicitly.
	upsertEvent = `INSERT INTO order_events (order_id, event) VALUES (?, ?)
ON DUPLICATE KEY UPDATE event = VALUES(event)`
)

type Store struct {
	db   *sql.DB
	gorm *gorm.DB
}

type Event struct {
	OrderID uint64
	Event   string
}

// Record writes one event. (Fine: INSERT IGNORE in a comment is not a query.)
func (s *Store) Record(ctx context.Context, orderID uint64, event string) error {
	if _, err := s.db.ExecContext(ctx, recordEvent, orderID, event); err != nil {
		// Fine: a log message that mentions SQL is not SQL.
		log.Printf("insert ignore failed for order %d: %v", orderID, err)
		return fmt.Errorf("record event %q: %w", event, err)
	}
	_, err := s.db.ExecContext(ctx, upsertEvent, orderID, event)
	return err
}

// Archive copies old events. Found: the IGNORE keyword after a Sprintf verb.
func (s *Store) Archive(ctx context.Context, table string) error {
	q := fmt.Sprintf(`INSERT IGNORE INTO %s_archive (order_id, event)
SELECT order_id, event FROM %s WHERE order_id < ?`, table, table)
	_, err := s.db.ExecContext(ctx, q, 1000)
	return err
}

// Builders: the same mistake through squirrel and GORM (both found).
func (s *Store) RecordAll(ctx context.Context, events []Event) error {
	insert := sq.Insert(eventsTable).Columns("order_id", "event").Options("IGNORE")
	for _, e := range events {
		insert = insert.Values(e.OrderID, e.Event)
	}
	if _, err := insert.RunWith(s.db).ExecContext(ctx); err != nil {
		return err
	}
	return s.gorm.WithContext(ctx).Clauses(clause.Insert{Modifier: "IGNORE"}).Create(&events).Error
}
