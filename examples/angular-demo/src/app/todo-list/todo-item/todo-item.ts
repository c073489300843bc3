import { Component, input } from '@angular/core';

export interface Todo {
  id: number;
  title: string;
  done: boolean;
}

@Component({
  selector: 'app-todo-item',
  templateUrl: './todo-item.html',
})
export class TodoItem {
  readonly todo = input.required<Todo>();
}
